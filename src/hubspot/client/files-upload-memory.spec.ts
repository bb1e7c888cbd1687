import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type HubSpotSimulator, startHubSpotSimulator } from '../../../test/simulators/hubspot';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(ROOT, 'src', 'hubspot', 'testing', 'upload-memory.child.ts');
const REGISTER = join(ROOT, 'test', 'support', 'ts-register.js');
const MB = 1024 * 1024;

interface ChildResult {
  fileId: string;
  size: number;
  fileMd5: string;
  md5: string;
  startRss: number;
  peakRss: number;
  ms: number;
}

function runChild(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '-r', REGISTER, CHILD, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

/**
 * A 50 MB attachment goes to the Files API as a stream: the uploading process (a child, so that
 * Jest and the simulator do not count) stays under 150 MB RSS from start to finish.
 */
describe('FilesApi streaming upload', () => {
  let sim: HubSpotSimulator;

  beforeAll(async () => {
    sim = await startHubSpotSimulator();
  });
  afterAll(() => sim.close());

  it('uploads 50 MB with the uploading process under 150 MB RSS', async () => {
    // First run only fills the transpile cache, so that the measured run never loads TypeScript.
    await runChild(['--warm'], {});
    const portal = sim.control.createPortal({ issueTokens: true });
    const size = 50 * MB;
    const output = await runChild([], {
      HUBSPOT_BASE_URL: sim.baseUrl,
      PORTAL_ID: portal.portalId,
      ACCESS_TOKEN: portal.accessToken ?? '',
      REFRESH_TOKEN: portal.refreshToken ?? '',
      CLIENT_ID: sim.app.clientId,
      CLIENT_SECRET: sim.app.clientSecret,
      UPLOAD_BYTES: String(size),
    });
    const result = JSON.parse(output.trim().split('\n').pop() ?? '{}') as ChildResult;

    expect(result.size).toBe(size);
    expect(result.fileMd5).toBe(result.md5);
    expect(result.peakRss).toBeLessThan(150 * MB);
    // Not a single copy of the file was held: growth stays far below 50 MB.
    expect(result.peakRss - result.startRss).toBeLessThan(40 * MB);
    process.stdout.write(
      `50 MB upload: peak RSS ${(result.peakRss / MB).toFixed(1)} MB ` +
        `(start ${(result.startRss / MB).toFixed(1)} MB), ${result.ms} ms\n`,
    );
  });
});
