/** Runs a benchmark's main and exits: 0 when it finished, 1 with the error printed (open handles never keep it alive). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
