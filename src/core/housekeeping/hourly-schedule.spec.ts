import {
  FIRST_HOUSEKEEPING_AFTER_MS,
  HOUSEKEEPING_INTERVAL_MS,
  scheduleHourly,
} from './hourly-schedule';

describe('scheduleHourly', () => {
  it('keeps no process alive: its timers are unreferenced', () => {
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const setIntervalSpy = jest.spyOn(global, 'setInterval');
    try {
      const stop = scheduleHourly(() => Promise.resolve());
      const timers = [
        setTimeoutSpy.mock.results.at(-1)?.value as NodeJS.Timeout,
        setIntervalSpy.mock.results.at(-1)?.value as NodeJS.Timeout,
      ];
      expect(timers.every((timer) => !timer.hasRef())).toBe(true);
      stop();
    } finally {
      setTimeoutSpy.mockRestore();
      setIntervalSpy.mockRestore();
    }
  });

  it('runs the task after a minute, then every hour, until stopped', async () => {
    jest.useFakeTimers();
    try {
      const task = jest.fn(() => Promise.resolve());
      const stop = scheduleHourly(task);
      await jest.advanceTimersByTimeAsync(FIRST_HOUSEKEEPING_AFTER_MS - 1);
      expect(task).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(task).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(HOUSEKEEPING_INTERVAL_MS);
      expect(task).toHaveBeenCalledTimes(2);
      stop();
      await jest.advanceTimersByTimeAsync(5 * HOUSEKEEPING_INTERVAL_MS);
      expect(task).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
