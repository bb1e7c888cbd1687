import { LuaScript } from '../../redis/lua-script';

/**
 * The atomic steps of a lane. Invariant: a lane with jobs has exactly one owner, the Bull job
 * (an "activation") that will process its head; only the owner touches the head. Activations get
 * fresh ids (`lane:<n>`), so a new activation never collides with a finishing one in Bull.
 */

/**
 * Enqueue of a batch (group of enqueues made in the same tick: one round trip for all).
 * KEYS: none (the keys derive from each job's lane base, see LaneKeys; single-node Redis).
 * ARGV: createdAt, then per job: lane base, id, payload, orderingKey ('' = none),
 * maxAttempts ('' = default), lane.
 * Returns per job: 0 for a duplicate jobId, 1 when the lane already has an owner, or the id of
 * a new owner: the caller must add that Bull job, which activates the lane.
 */
export const ENQUEUE_MANY = new LuaScript(`
local out = {}
local n = 0
for i = 2, #ARGV, 6 do
  local base, id, lane = ARGV[i], ARGV[i + 1], ARGV[i + 5]
  local hash = base .. ':job:' .. id
  n = n + 1
  if redis.call('EXISTS', hash) == 1 then
    out[n] = 0
  else
    redis.call('HSET', hash, 'payload', ARGV[i + 2], 'key', ARGV[i + 3], 'created', ARGV[1],
      'max', ARGV[i + 4], 'attempts', 0, 'lane', lane)
    redis.call('RPUSH', base .. ':list:' .. lane, id)
    redis.call('INCR', base .. ':pending')
    local ownerKey = base .. ':owner:' .. lane
    if redis.call('EXISTS', ownerKey) == 1 then
      out[n] = 1
    else
      local owner = 'lane:' .. redis.call('INCR', base .. ':seq')
      redis.call('SET', ownerKey, owner)
      redis.call('SADD', base .. ':lanes', lane)
      out[n] = owner
    end
  end
end
return out
`);

/**
 * Advances a lane: drops the job that just completed or was dead-lettered (if any), then takes
 * the new head to run it (it stays in the list until the next ADVANCE), all in one round trip.
 * KEYS: list, owner, lanes, pending. ARGV: activation id, lane, job hash prefix, finished job id
 * ('' = none), take ('1' = take the next head, '0' = only report whether one is left).
 * Returns {'stale'} when this activation no longer owns the lane, {'empty'} (ownership
 * released), {'more'} (take = '0'), or {'job', id, payload, orderingKey, createdAt,
 * maxAttempts, attempt}.
 */
export const ADVANCE = new LuaScript(`
if ARGV[4] ~= '' and redis.call('LINDEX', KEYS[1], 0) == ARGV[4] then
  redis.call('LPOP', KEYS[1])
  if redis.call('DEL', ARGV[3] .. ARGV[4]) == 1 then redis.call('DECR', KEYS[4]) end
end
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {'stale'} end
while true do
  local id = redis.call('LINDEX', KEYS[1], 0)
  if not id then
    redis.call('DEL', KEYS[2])
    redis.call('SREM', KEYS[3], ARGV[2])
    return {'empty'}
  end
  local hash = ARGV[3] .. id
  if redis.call('EXISTS', hash) == 1 then
    if ARGV[5] ~= '1' then return {'more'} end
    local attempt = redis.call('HINCRBY', hash, 'attempts', 1)
    local f = redis.call('HMGET', hash, 'payload', 'key', 'created', 'max')
    return {'job', id, f[1], f[2], f[3], f[4], tostring(attempt)}
  end
  redis.call('LPOP', KEYS[1])
end
`);

/**
 * Hands the lane to a new activation (retry after a delay, fairness yield, or graceful stop),
 * recording the head's last error when given. KEYS: owner, seq. ARGV: activation id, job hash
 * ('' = none), last error. Returns the new activation id, or false when not the owner any more.
 */
export const RESCHEDULE = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
if ARGV[2] ~= '' then redis.call('HSET', ARGV[2], 'lastError', ARGV[3]) end
local owner = 'lane:' .. redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], owner)
return owner
`);
