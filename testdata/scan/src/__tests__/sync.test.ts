// A fixture: the scan skips test folders.
const fixture = { url: "/rest/v1.0/projects/1/rfis", method: "DELETE" };
fetch(fixture.url, { method: "DELETE" });
fetch("/rest/v1.0/projects/1/submittals/2", { method: "DELETE" });
