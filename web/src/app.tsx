import { effect } from "@preact/signals";
import { ErrorBoundary, lazy, LocationProvider, Route, Router, useLocation } from "preact-iso";
import { useEffect, useRef } from "preact/hooks";
import { totalUnread } from "./state/chats.ts";
import { announce, announcement } from "./state/connection.ts";
import { sessionStatus } from "./state/session.ts";
import { Login } from "./screens/login/login.tsx";
import { Shell } from "./screens/shell/shell.tsx";
import { parseView, viewName } from "./screens/shell/views.ts";
import "./app.css";

const Signup = lazy(() => import("./screens/signup/signup.tsx").then((m) => m.Signup));
const Confirm = lazy(() => import("./screens/confirm/confirm.tsx").then((m) => m.Confirm));
const Reset = lazy(() => import("./screens/reset/reset.tsx").then((m) => m.Reset));
const Suspended = lazy(() => import("./screens/suspended/suspended.tsx").then((m) => m.Suspended));

const PUBLIC = ["/login", "/signup", "/confirm", "/reset"];

effect(() => {
  const unread = totalUnread.value;
  document.title = unread > 0 ? `(${unread}) Telegraph` : "Telegraph";
});

function screenName(path: string): string {
  return { "/login": "Log in", "/signup": "Sign up", "/confirm": "Confirm email", "/reset": "Reset password" }[path] ?? viewName(parseView(path));
}

/** Sends people to the login screen when signed out, and away from it when signed in. */
function Gate() {
  const { path, route } = useLocation();
  const status = sessionStatus.value;
  const isPublic = PUBLIC.includes(path);
  const first = useRef(true);
  useEffect(() => {
    // Page changes are said through the live region (not on the first load).
    if (first.current) first.current = false;
    else announce(screenName(path));
  }, [path]);
  useEffect(() => {
    if (status === "out" && !isPublic) route("/login", true);
    if (status === "in" && (path === "/login" || path === "/signup")) route("/", true);
  }, [status, path, isPublic, route]);
  if (status === "unknown") return <div class="splash" aria-busy="true" aria-label="Loading" />;
  // Whatever the address: a suspended account sees only that it is suspended (and how to log out).
  if (status === "suspended")
    return (
      <ErrorBoundary>
        <Suspended />
      </ErrorBoundary>
    );
  if (status === "out" && !isPublic) return null;
  return (
    <ErrorBoundary>
      <Router>
        <Route path="/login" component={Login} />
        <Route path="/signup" component={Signup} />
        <Route path="/confirm" component={Confirm} />
        <Route path="/reset" component={Reset} />
        <Route path="/" component={Shell} />
        <Route path="/chat/:userId" component={Shell} />
        <Route path="/settings" component={Shell} />
        <Route default component={Shell} />
      </Router>
    </ErrorBoundary>
  );
}

export function App() {
  return (
    <LocationProvider>
      <Gate />
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement.value}
      </div>
    </LocationProvider>
  );
}
