import { useState } from "preact/hooks";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { fetchExport } from "../../connection/account.ts";
import { exportFileName, minutesText, sizeText } from "../../lib/account.ts";
import { me } from "../../state/session.ts";

type State = { step: "idle" } | { step: "preparing"; bytes: number } | { step: "saved"; file: string } | { step: "wait"; seconds: number } | { step: "failed" };

/** Hands a Blob to the browser as a download (an object URL on a transient link, released once the click is taken). */
function save(blob: Blob, file: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = file;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "Download my data": the account's export (`GET /account/export`) saved as a JSON lines file. */
export function MyData() {
  const [state, setState] = useState<State>({ step: "idle" });
  const download = async () => {
    setState({ step: "preparing", bytes: 0 });
    const result = await fetchExport((bytes) => setState({ step: "preparing", bytes }));
    if (result.ok) {
      const file = exportFileName(me.value?.username ?? "", new Date());
      save(result.blob, file);
      setState({ step: "saved", file });
    } else if (result.reason === "rate_limited") setState({ step: "wait", seconds: result.retryAfter });
    else setState({ step: "failed" });
  };
  const preparing = state.step === "preparing";
  return (
    <section class="settings__card" aria-labelledby="my-data-title">
      <h3 id="my-data-title">Your data</h3>
      <p class="muted">
        One file with everything your account holds and has received: profile, posts, comments, likes, live stories, followers, the people you follow, blocks, direct
        messages and images.
      </p>
      <div class="settings__actions">
        <Button variant="secondary" onClick={() => void download()} disabled={preparing} busy={preparing}>
          Download my data
        </Button>
      </div>
      <div class="settings__status" role="status">
        {preparing ? <p>Preparing…{state.bytes > 0 ? ` ${sizeText(state.bytes)}` : ""}</p> : null}
        {state.step === "saved" ? <p>Saved as {state.file}.</p> : null}
      </div>
      {state.step === "wait" ? <Banner tone="warning">You can download your data again in {minutesText(state.seconds)}.</Banner> : null}
      {state.step === "failed" ? <Banner tone="error">The download did not finish. Try again in a moment.</Banner> : null}
    </section>
  );
}
