/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux build these benches run on; `getconf CLK_TCK`). */
const USER_HZ = 100;

/** What the benches read of one `/proc/<pid>/stat` line (proc(5)), in seconds. */
export interface ProcStat {
  ppid: number;
  /** The process's own user + system time. */
  cpu: number;
  /** User + system time of the children it has reaped (waited for). */
  childrenCpu: number;
}

/** Parses a `/proc/<pid>/stat` line; undefined for an empty one (the process was gone). */
export function parseProcStat(text: string): ProcStat | undefined {
  // After the command name, which may hold spaces and parentheses: state, ppid, ..., utime (14th
  // field), stime, cutime, cstime.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [ppid, utime, stime, cutime, cstime] = [1, 11, 12, 13, 14].map((k) => Number(fields[k]));
  if (![ppid, utime, stime, cutime, cstime].every((value) => Number.isFinite(value))) return undefined;
  return {
    ppid: ppid as number,
    cpu: ((utime as number) + (stime as number)) / USER_HZ,
    childrenCpu: ((cutime as number) + (cstime as number)) / USER_HZ,
  };
}
