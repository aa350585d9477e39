/**
 * 执行指挥中心: the console. Signed in with the same token as the API; which pages a user gets follows the token's
 * roles (supervisors everything, operators the read-only counts), and the hub refuses whatever the token does not allow.
 */
import { type FormEvent, useState } from "react";
import { claimsOf, tokenStore } from "./api";
import { AgenciesPage } from "./pages/agencies";
import { AuditPage } from "./pages/audit";
import { CasesPage } from "./pages/cases";
import { MeasuresPage } from "./pages/measures";
import { PartnersPage } from "./pages/partners";
import { RequestsPage } from "./pages/requests";
import { TasksPage } from "./pages/tasks";
import { link, useRoute } from "./route";

const ROLE_NAMES: Record<string, string> = {
  SUPERVISOR: "监督",
  OPERATOR: "运维",
  HUB_ADMIN: "枢纽管理员",
  CASE_OFFICER: "承办人",
  JUDGE: "法官",
  AGENCY: "协助单位",
};

const PAGES = [
  { page: "agencies", title: "协助执行单位", supervisorOnly: false },
  { page: "measures", title: "控制措施到期", supervisorOnly: true },
  { page: "tasks", title: "委托事项", supervisorOnly: true },
  { page: "cases", title: "长期未结案件", supervisorOnly: true },
  { page: "partners", title: "联合惩戒单位", supervisorOnly: false },
  { page: "audit", title: "审计链", supervisorOnly: false },
];

function SignIn(props: { onSignIn: (token: string) => void }) {
  const [token, setToken] = useState("");
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim().replace(/^Bearer\s+/i, "");
    if (!claimsOf(trimmed)) return setProblem("这不是枢纽签发的令牌（JWT）");
    props.onSignIn(trimmed);
  };
  return (
    <main className="signin">
      <form onSubmit={submit}>
        <h1>执行指挥中心</h1>
        <p className="muted">粘贴访问令牌登录（与调用接口的令牌相同，仅保存在本标签页中）。</p>
        <label htmlFor="token">访问令牌</label>
        <textarea id="token" rows={6} value={token} onChange={(e) => setToken(e.target.value)} placeholder="eyJhbGciOi…" />
        {problem && <p className="refused">{problem}</p>}
        <button type="submit">登录</button>
        <p className="muted small">
          开发环境可用 <code>npm run -s token -- --org 豫02 --role supervisor</code> 生成监督令牌。
        </p>
      </form>
    </main>
  );
}

export function App() {
  const [token, setToken] = useState(tokenStore.get);
  const route = useRoute();
  const claims = token ? claimsOf(token) : undefined;
  if (!token || !claims) {
    return (
      <SignIn
        onSignIn={(value) => {
          tokenStore.set(value);
          setToken(value);
        }}
      />
    );
  }
  const supervisor = claims.roles.includes("SUPERVISOR");
  const mayAct = supervisor || claims.roles.includes("HUB_ADMIN");
  const pages = PAGES.filter((p) => supervisor || !p.supervisorOnly);
  const active = route.page === "requests" ? "agencies" : route.page;
  return (
    <div className="layout">
      <nav>
        <div className="brand">执行指挥中心</div>
        {pages.map((p) => (
          <a key={p.page} href={link(p.page)} aria-current={active === p.page ? "page" : undefined}>
            {p.title}
          </a>
        ))}
        <div className="who">
          <div>{claims.org}</div>
          <div className="muted small">
            {claims.sub} · {claims.roles.map((r) => ROLE_NAMES[r] ?? r).join("、")}
          </div>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              tokenStore.clear();
              setToken(null);
            }}
          >
            退出
          </button>
        </div>
      </nav>
      <main>
        {route.page === "requests" ? (
          <RequestsPage params={route.params} />
        ) : route.page === "measures" ? (
          <MeasuresPage />
        ) : route.page === "tasks" ? (
          <TasksPage />
        ) : route.page === "cases" ? (
          <CasesPage />
        ) : route.page === "partners" ? (
          <PartnersPage mayAct={mayAct} />
        ) : route.page === "audit" ? (
          <AuditPage />
        ) : (
          <AgenciesPage supervisor={supervisor} />
        )}
      </main>
    </div>
  );
}
