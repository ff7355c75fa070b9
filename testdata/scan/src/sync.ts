// Site Sync: copies crew hours into Procore's daily log.
import { client } from "./procore";

const BASE = process.env.PROCORE_URL ?? "https://api.procore.com";

export async function postManpower(projectId: number, entry: ManpowerEntry) {
  // fetch(`${BASE}/rest/v1.0/projects/${projectId}/timecard_entries`) was the old way
  const res = await fetch(`${BASE}/rest/v1.0/projects/${projectId}/manpower_logs`, {
    method: "POST",
    body: JSON.stringify({ manpower_log: entry }),
  });
  console.log(`posted to ${BASE}/rest/v1.0/projects/${projectId}/manpower_logs`);
  return res.json();
}

export async function inspections(projectId: number) {
  return client.get({ base: "/checklist/lists", qs: { project_id: projectId } });
}
