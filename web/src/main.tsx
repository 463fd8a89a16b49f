import { render } from "preact";
import "./styles/tokens.css";
import "./styles/base.css";
import { App } from "./app.tsx";
import { refreshSession } from "./connection/auth.ts";

void refreshSession();
render(<App />, document.getElementById("app")!);
