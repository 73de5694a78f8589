/**
 * The flag loop the `tulip conformance` commands share: each flag in turn, with `value()` taking
 * the argument that follows it (an error naming the flag when there is none).
 */
export function eachFlag(argv: readonly string[], on: (flag: string, value: () => string) => void): void {
  const rest = [...argv];
  while (rest.length > 0) {
    const flag = rest.shift()!;
    on(flag, () => {
      const v = rest.shift();
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    });
  }
}
