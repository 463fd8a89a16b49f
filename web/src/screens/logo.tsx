export function Logo() {
  return <img class="auth__logo" src="/favicon.svg" alt="" width={72} height={72} />;
}
