import { LuaScript } from './lua-script';

/**
 * The atomic steps of a lane. Invariant: a lane with jobs has exactly one owner, the Bull job
 * (an "activation") that will process its head; only the owner touches the head. Activations get
 * fresh ids (`lane:<n>`), so a new activation never collides with a finishing one in Bull.
 */

/**
 * Enqueue. KEYS: job hash, list, owner, seq, pending, lanes.
 * ARGV: id, payload, orderingKey ('' = none), createdAt, maxAttempts ('' = default), lane.
 * Returns {0} for a duplicate jobId, {1} when the lane already has an owner, or {1, ownerId}
 * when the caller must add the Bull job `ownerId` that activates the lane.
 */
export const ENQUEUE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
redis.call('HSET', KEYS[1], 'payload', ARGV[2], 'key', ARGV[3], 'created', ARGV[4],
  'max', ARGV[5], 'attempts', 0, 'lane', ARGV[6])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[5])
if redis.call('EXISTS', KEYS[3]) == 1 then return {1} end
local owner = 'lane:' .. redis.call('INCR', KEYS[4])
redis.call('SET', KEYS[3], owner)
redis.call('SADD', KEYS[6], ARGV[6])
return {1, owner}
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
