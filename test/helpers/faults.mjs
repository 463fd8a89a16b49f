/* global process, setTimeout */
// Preloaded (node --import) by test/stray-failures.test.ts only, never by `npm start`: on SIGUSR2 the process gets a
// timer callback that throws and a promise rejection nobody handles, as a buggy feature would cause them.
process.on("SIGUSR2", () => {
  setTimeout(() => {
    throw new Error("timer callback exploded");
  }, 0);
  void Promise.reject(new Error("nobody awaited this"));
});
