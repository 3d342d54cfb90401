import { Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { useCurrentUser } from "./api/current-user.js";
import { AppLayout } from "./components/AppLayout.js";
import { Loading } from "./components/Loading.js";
import { NotFound } from "./components/NotFound.js";
import { RequireAuth } from "./components/RequireAuth.js";
import { RequireRoles } from "./components/RequireRoles.js";
import { SessionWatcher } from "./components/SessionWatcher.js";
import { homePath, NAV, RELEASE_PATH, RELEASE_ROLES, REQUEST_DETAIL_ROLES } from "./lib/nav.js";
import { Providers } from "./Providers.js";
import { LoginPage, PAGES, ReleasePage, RequestDetailPage } from "./routes.js";

function Home() {
  const me = useCurrentUser();
  const home = homePath(me.roles);
  return home ? <Navigate to={home} replace /> : null;
}

export function App() {
  return (
    <Providers>
      <BrowserRouter>
        <SessionWatcher />
        <Suspense fallback={<Loading tall />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            {/* Reached only when the server has no SSO configured (its route would answer first). */}
            <Route path="/auth/oidc/login" element={<Navigate to="/login?error=sso_unavailable" replace />} />
            <Route
              element={
                <RequireAuth>
                  <AppLayout />
                </RequireAuth>
              }
            >
              <Route index element={<Home />} />
              {NAV.map((item) => {
                const Page = PAGES[item.key];
                return (
                  <Route
                    key={item.key}
                    path={item.path}
                    element={
                      <RequireRoles roles={item.roles}>
                        <Page />
                      </RequireRoles>
                    }
                  />
                );
              })}
              <Route
                path="/requests/:id"
                element={
                  <RequireRoles roles={REQUEST_DETAIL_ROLES}>
                    <RequestDetailPage />
                  </RequireRoles>
                }
              />
              <Route
                path={RELEASE_PATH}
                element={
                  <RequireRoles roles={RELEASE_ROLES}>
                    <ReleasePage />
                  </RequireRoles>
                }
              />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </Suspense>
      </BrowserRouter>
    </Providers>
  );
}
