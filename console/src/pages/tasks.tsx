/** 委托事项: delegated tasks due within a week and overdue, counted per receiving court. */
import { useState } from "react";
import { usePoll } from "../api";
import { name, STATUS_NAMES, TASK_KINDS, time } from "../labels";
import { DataTable, Refused } from "../table";

interface TaskRow {
  id: string;
  kind: string;
  status: string;
  delegatingCourt: string;
  targetCourt: string;
  deadline: string;
  dueAt: string;
  overdue: boolean;
}

interface CourtCount {
  court: string;
  due: number;
  overdue: number;
}

const TASKS = `query { supervisedTasksDue(withinHours: 168) { id kind status delegatingCourt targetCourt deadline dueAt overdue } }`;

export function TasksPage() {
  const [court, setCourt] = useState<string>();
  const tasks = usePoll<{ supervisedTasksDue: TaskRow[] }>(TASKS, {}, 5_000);
  const rows = tasks.data?.supervisedTasksDue;
  const perCourt = rows && [
    ...rows
      .reduce((counts, task) => {
        const count = counts.get(task.targetCourt) ?? { court: task.targetCourt, due: 0, overdue: 0 };
        count.due += 1;
        if (task.overdue) count.overdue += 1;
        return counts.set(task.targetCourt, count);
      }, new Map<string, CourtCount>())
      .values(),
  ];
  return (
    <>
      <div className="toolbar">
        <h1>委托事项</h1>
      </div>
      <Refused error={tasks.error} />
      <DataTable
        title="各受托法院（7 日内到期及已超期）"
        name="tasks-per-court"
        rows={perCourt}
        empty="没有 7 日内到期的委托事项"
        columns={[
          {
            key: "court",
            title: "受托法院",
            value: (c) => c.court,
            render: (c) => (
              <button type="button" className="link" onClick={() => setCourt(c.court)}>
                {c.court}
              </button>
            ),
          },
          { key: "due", title: "即将到期", numeric: true, value: (c) => c.due - c.overdue },
          { key: "overdue", title: "已超期", numeric: true, value: (c) => c.overdue },
        ]}
      />
      <DataTable
        title={court ? `${court} 的委托事项` : "全部委托事项"}
        name={`tasks-${court ?? "all"}`}
        rows={rows?.filter((task) => !court || task.targetCourt === court)}
        rowClass={(t) => (t.overdue ? "failing" : undefined)}
        columns={[
          { key: "kind", title: "事项", value: (t) => name(TASK_KINDS, t.kind) },
          { key: "from", title: "委托法院", value: (t) => t.delegatingCourt },
          { key: "to", title: "受托法院", value: (t) => t.targetCourt },
          { key: "status", title: "状态", value: (t) => name(STATUS_NAMES, t.status) },
          { key: "deadline", title: "期限", value: (t) => (t.deadline === "ACCEPTANCE" ? "受理期限" : "办结期限") },
          { key: "due", title: "到期时间", value: (t) => time(t.dueAt) },
          { key: "overdue", title: "超期", value: (t) => (t.overdue ? "是" : "否") },
        ]}
      />
    </>
  );
}
