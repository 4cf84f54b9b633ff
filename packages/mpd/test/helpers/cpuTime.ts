/**
 * CPU milliseconds `run` takes (user + system): unlike wall-clock time it
 * does not grow when other processes share the machine's cores.
 */
export async function cpuTime(run: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const { user, system } = process.cpuUsage(before);
  return (user + system) / 1000;
}
