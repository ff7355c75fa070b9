package scan

import (
	"fmt"
	"strings"
	"testing"
)

// want is one expected call: "line:col METHOD[?] endpoint" where ? marks
// a method the code does not show, and endpoint is the table's template,
// or "unmapped URL (reason)".
func describe(c Call) string {
	m := c.Method
	if !c.MethodSeen {
		m += "?"
	}
	target := ""
	switch {
	case c.Endpoint != nil && c.Fallback:
		target = c.Endpoint.Path + " (fallback)"
	case c.Endpoint != nil:
		target = c.Endpoint.Path
	default:
		target = "unmapped " + c.URL + " (" + c.Reason + ")"
	}
	return fmt.Sprintf("%d:%d %s %s", c.Line, c.Column, m, target)
}

func TestFindCalls(t *testing.T) {
	tests := []struct {
		name string
		lang Lang
		src  string
		want []string
	}{
		// JavaScript and TypeScript
		{"js template literal", LangJS,
			"const r = await fetch(`${base}/rest/v1.0/projects/${id}/rfis`)\n",
			[]string{"1:23 GET? /rest/v1.0/projects/{project_id}/rfis"}},
		{"js fetch method option", LangJS,
			"fetch(`${BASE}/rest/v1.0/projects/${pid}/rfis`, { method: 'POST', body })\n",
			[]string{"1:7 POST /rest/v1.0/projects/{project_id}/rfis"}},
		{"js axios.patch concat", LangJS,
			"axios.patch(\"/rest/v1.0/projects/\" + id + \"/rfis/\" + rfi.id, data)",
			[]string{"1:13 PATCH /rest/v1.0/projects/{project_id}/rfis/{id}"}},
		{"js nested template; the variable followed to its call", LangJS,
			"const u = `${cfg.host(`x${y}`)}/rest/v1.1/punch_items?project_id=${p}`;\nhttp.delete(u)",
			[]string{"1:11 DELETE unmapped /rest/v1.1/punch_items (the endpoint table has no DELETE for this path)"}},
		{"ts generic type arguments do not hide the method", LangJS,
			"await this.http.put<Rfi>(`${b}/rest/v1.0/projects/${p}/rfis/${id}`, body)\n" +
				"await axios.post<Rfi[]>(`${b}/rest/v1.0/projects/${p}/rfis`, body)\n" +
				"await client.get<Array<Rfi>>(`${b}/rest/v1.0/projects/${p}/rfis`)\n" +
				"await api.delete<void | null>(`${b}/rest/v1.0/projects/${p}/rfis/${id}`)\n",
			[]string{
				"1:26 PUT unmapped /rest/v1.0/projects/{}/rfis/{} (the endpoint table has no PUT for this path)",
				"2:25 POST /rest/v1.0/projects/{project_id}/rfis",
				"3:30 GET /rest/v1.0/projects/{project_id}/rfis",
				"4:31 DELETE unmapped /rest/v1.0/projects/{}/rfis/{} (the endpoint table has no DELETE for this path)",
			}},
		{"js routes the app serves are not calls; client calls still are", LangJS,
			"app.get('/rest/v1.0/projects/:project_id/rfis', async (req, res) => res.json(await proxy(req)))\n" +
				"router.post(\"/api/rest/v1.0/projects/:id/submittals\", handler)\n" +
				"fastify.route('/rest/v1.0/projects/:id/rfis', opts)\n" +
				"api.get('/rest/v1.0/projects/1/rfis')\n" +
				"client.post(`/rest/v1.0/projects/${p}/rfis`, body)\n",
			[]string{
				"4:9 GET /rest/v1.0/projects/{project_id}/rfis",
				"5:13 POST /rest/v1.0/projects/{project_id}/rfis",
			}},
		{"ruby routes (Sinatra, Rails) are not calls", LangRuby,
			"get \"/rest/v1.0/projects/:project_id/rfis\", to: \"proxy#show\"\nx = 1\npost(\"/rest/v1.0/projects/:id/rfis\") { proxy }\n" +
				"get \"/rest/v1.0/projects/#{p}/rfis\"\n", // no route parameter: may be HTTParty's get
			[]string{"4:5 GET? /rest/v1.0/projects/{project_id}/rfis"}},
		{"python flask route is not a call; requests is", LangPython,
			"@app.route(\"/rest/v1.0/projects/<int:pid>/rfis\")\ndef rfis(pid):\n    return requests.get(f\"{BASE}/rest/v1.0/projects/{pid}/rfis\")\n",
			[]string{"3:25 GET /rest/v1.0/projects/{project_id}/rfis"}},
		{"go: a chi route with a parameter is not a call; a resty request r.Get is", LangGo,
			"r.Get(\"/rest/v1.0/projects/:id/rfis\", h)\nresp, err := r.Get(\"/rest/v1.0/projects/{project_id}/rfis\")\n",
			[]string{"2:20 GET /rest/v1.0/projects/{project_id}/rfis"}},
		{"ts comparison is not a type argument list", LangJS,
			"if (a < b > (`${b}/rest/v1.0/projects/${p}/rfis`)) {}\n",
			[]string{"1:14 GET? /rest/v1.0/projects/{project_id}/rfis"}},
		{"csharp generic method", LangCSharp,
			"var r = await client.PostAsJsonAsync<Rfi>($\"/rest/v1.0/projects/{pid}/rfis\", body);\n",
			[]string{"1:43 POST /rest/v1.0/projects/{project_id}/rfis"}},
		{"js comment", LangJS,
			"// fetch('/rest/v1.0/projects/1/rfis')\n/* axios.get(\"/rest/v1.0/projects/1/rfis\") */\n",
			nil},
		{"js console.log", LangJS,
			"console.log(`calling ${base}/rest/v1.0/projects/${id}/rfis`)\nconsole.log('/rest/v1.0/projects/' + id + '/rfis')\n",
			nil},
		{"js error message", LangJS,
			"throw new Error(`GET /rest/v1.0/projects/${id}/rfis failed`)\n",
			nil},
		{"js sdk descriptor", LangJS,
			"const { body } = await client.get({ base: '/projects/{project_id}/rfis', params: { project_id: 5, id }, version: 'v1.1' })\n",
			[]string{"1:43 GET /rest/v1.0/projects/{project_id}/rfis/{id} (fallback)"}},
		{"js sdk descriptor action", LangJS,
			"client.post({\n  base: '/projects/{project_id}/checklist/lists',\n  params: { project_id },\n})",
			[]string{"2:9 POST /rest/v1.0/projects/{project_id}/checklist/lists"}},
		{"js regex literal with quote", LangJS,
			"const re = /it's \\/rest\\/v1.0/; fetch('/rest/v1.0/me')",
			[]string{"1:39 GET? /rest/v1.0/me"}},
		{"js version fallback", LangJS,
			"fetch('/rest/v1.9/punch_items/45', { method: 'DELETE' })",
			[]string{"1:7 DELETE /rest/v1.1/punch_items/{id} (fallback)"}},
		{"js method the table lacks", LangJS,
			"fetch('/rest/v1.0/projects/12/rfis/45', { method: 'DELETE' })",
			[]string{"1:7 DELETE unmapped /rest/v1.0/projects/12/rfis/45 (the endpoint table has no DELETE for this path)"}},
		{"js unknown path", LangJS,
			"fetch(`/rest/v1.0/made/up`)",
			[]string{"1:7 GET? unmapped /rest/v1.0/made/up (not in the endpoint table)"}},
		{"js computed path", LangJS,
			"fetch('/rest/v1.0/' + resource)",
			[]string{"1:7 GET? unmapped /rest/v1.0/{} (the path is computed at run time)"}},
		{"js base constant is no call", LangJS,
			"const BASE = 'https://api.procore.com/rest/v1.0'\n",
			nil},
		{"ts unicode column", LangJS,
			"const é = 'ü'; got(`/rest/v1.0/projects/${p}/manpower_logs`)",
			[]string{"1:20 GET? /rest/v1.0/projects/{project_id}/manpower_logs"}},
		// Ruby
		{"ruby sdk relative", LangRuby,
			"client.get(\"punch_items\", version: \"v1.1\", query: { project_id: id })\n",
			[]string{"1:12 GET /rest/v1.1/punch_items"}},
		{"ruby sdk default version", LangRuby,
			"client.post(\"projects/#{project_id}/rfis\", body: { rfi: {} })\n",
			[]string{"1:13 POST /rest/v1.0/projects/{project_id}/rfis"}},
		{"ruby interpolated url followed to Net::HTTP::Put", LangRuby,
			"uri = URI(\"#{base}/rest/v1.0/projects/#{id}/rfis\")\nreq = Net::HTTP::Put.new(uri)\n",
			[]string{"1:11 PUT unmapped /rest/v1.0/projects/{}/rfis (the endpoint table has no PUT for this path)"}},
		{"ruby net http put", LangRuby,
			"req = Net::HTTP::Patch.new(URI(\"#{base}/rest/v1.0/projects/#{id}/rfis/#{rfi}\"))\n",
			[]string{"1:32 PATCH /rest/v1.0/projects/{project_id}/rfis/{id}"}},
		{"ruby comment and puts", LangRuby,
			"# client.get(\"/rest/v1.0/projects/1/rfis\")\nputs \"#{base}/rest/v1.0/projects/#{id}/rfis\"\nRails.logger.info(\"/rest/v1.0/projects/#{id}/rfis\")\n",
			nil},
		{"ruby heredoc", LangRuby,
			"x = <<~SQL\n  \"/rest/v1.0/projects/1/rfis\" not a call\nSQL\nget(\"/rest/v1.0/projects/#{p}/rfis\")\n",
			[]string{"4:5 GET /rest/v1.0/projects/{project_id}/rfis"}},
		{"ruby other client relative path", LangRuby,
			"app.get(\"users/#{id}\")\n",
			nil},
		// Python
		{"python f-string", LangPython,
			"r = requests.delete(f\"{BASE}/rest/v1.0/projects/{pid}/manpower_logs/{rid}\")\n",
			[]string{"1:21 DELETE /rest/v1.0/projects/{project_id}/manpower_logs/{id}"}},
		{"python concat", LangPython,
			"resp = session.post(BASE + \"/rest/v1.0/projects/\" + str(pid) + \"/rfis\", json=body)\n",
			[]string{"1:28 POST /rest/v1.0/projects/{project_id}/rfis"}},
		{"python format, followed to requests.request", LangPython,
			"url = \"/rest/v1.0/projects/{}/rfis\".format(pid)\nrequests.request(\"PATCH\", url)\n",
			[]string{"1:7 PATCH /rest/v1.0/projects/{project_id}/rfis"}},
		{"python sdk method", LangPython,
			"logs = api.rest_v10_projects_project_id_daily_logs_count_get(company_id, project_id)\n",
			[]string{"1:12 GET /rest/v1.0/projects/{project_id}/daily_logs/count"}},
		{"python docstring, comment, print, logging", LangPython,
			"def f():\n    \"\"\"Calls /rest/v1.0/projects/{id}/rfis.\"\"\"\n    # requests.get('/rest/v1.0/projects/1/rfis')\n    print(f\"{base}/rest/v1.0/projects/{pid}/rfis\")\n    logging.info('/rest/v1.0/projects/%s/rfis', pid)\n",
			nil},
		{"python triple-quoted f-string", LangPython,
			"requests.get(f'''{b}/rest/v1.0/projects/{p}/rfis''')",
			[]string{"1:14 GET /rest/v1.0/projects/{project_id}/rfis"}},
		// Go
		{"go sprintf and NewRequest", LangGo,
			"req, _ := http.NewRequestWithContext(ctx, http.MethodPatch, fmt.Sprintf(\"%s/rest/v1.0/projects/%d/rfis/%d\", base, pid, id), body)\n",
			[]string{"1:73 PATCH /rest/v1.0/projects/{project_id}/rfis/{id}"}},
		{"go raw string", LangGo,
			"resp, err := http.Get(base + `/rest/v1.0/projects/` + strconv.Itoa(id) + `/manpower_logs`)\n",
			[]string{"1:30 GET /rest/v1.0/projects/{project_id}/manpower_logs"}},
		{"go log and comment", LangGo,
			"// http.Get(\"/rest/v1.0/projects/1/rfis\")\nfmt.Println(\"/rest/v1.0/projects/\" + id + \"/rfis\")\nlog.Printf(\"GET %s/rest/v1.0/me\", base)\n",
			nil},
		// C#
		{"csharp interpolated verbatim", LangCSharp,
			"var r = await client.DeleteAsync($@\"{Base}/rest/v1.0/checklist/lists/{id}?project_id={pid}\");\n",
			[]string{"1:34 DELETE /rest/v1.0/checklist/lists/{id}"}},
		{"csharp HttpMethod", LangCSharp,
			"var m = new HttpRequestMessage(HttpMethod.Post, $\"{b}/rest/v1.0/projects/{p}/rfis\");\nConsole.WriteLine($\"/rest/v1.0/projects/{p}/rfis\");\n",
			[]string{"1:49 POST /rest/v1.0/projects/{project_id}/rfis"}},
		// Java
		{"java builder", LangJava,
			"HttpRequest r = HttpRequest.newBuilder().uri(URI.create(base + \"/rest/v1.0/projects/\" + id + \"/manpower_logs/\" + log)).DELETE().build();\nSystem.out.println(\"/rest/v1.0/projects/\" + id + \"/rfis\");\n",
			[]string{"1:64 DELETE /rest/v1.0/projects/{project_id}/manpower_logs/{id}"}},
		{"java rest template", LangJava,
			"rest.postForEntity(base + \"/rest/v1.0/projects/\" + id + \"/rfis\", body, Rfi.class);\n",
			[]string{"1:27 POST /rest/v1.0/projects/{project_id}/rfis"}},
		// PHP
		{"php interpolation", LangPHP,
			"<?php\n$r = $http->post(\"{$base}/rest/v1.0/projects/$projectId/rfis\", ['json' => $b]);\n# $http->get('/rest/v1.0/projects/1/rfis');\necho \"/rest/v1.0/projects/$id/rfis\";\n?>\n<a href=\"/rest/v1.0/projects/1/rfis\">html</a>\n",
			[]string{"2:18 POST /rest/v1.0/projects/{project_id}/rfis"}},
		{"php concat and heredoc", LangPHP,
			"<?php\n$u = $base . '/rest/v1.0/projects/' . $pid . '/rfis';\n$t = <<<EOT\n/rest/v1.0/projects/1/rfis\nEOT;\n",
			[]string{"2:14 GET? /rest/v1.0/projects/{project_id}/rfis", "4:1 GET? /rest/v1.0/projects/{project_id}/rfis"}},
		{"a variable used by no call keeps its method unseen", LangGo,
			"u := base + \"/rest/v1.0/checklist/lists\"\nu = other\nhttp.Post(u, \"\", nil)\n",
			[]string{"1:13 GET? /rest/v1.0/checklist/lists"}},
		// More method shapes, one per language.
		{"js axios config", LangJS,
			"axios({ url: `${b}/rest/v1.0/checklist/lists`, method: 'post' })",
			[]string{"1:14 POST /rest/v1.0/checklist/lists"}},
		{"js jquery type", LangJS,
			"$.ajax({ type: 'DELETE', url: '/rest/v1.0/checklist/lists/' + id })",
			[]string{"1:31 DELETE /rest/v1.0/checklist/lists/{id}"}},
		{"js division before a call is not a regular expression", LangJS,
			"const half = total / 2; fetch(\"/rest/v1.0/checklist/lists/\" + id) // a/b\n",
			[]string{"1:31 GET? /rest/v1.0/checklist/lists/{id}"}},
		{"ruby division before a call is not a regular expression", LangRuby,
			"pages = total / per; HTTParty.delete(\"#{base}/rest/v1.0/checklist/lists/#{id}\") # /x/\n",
			[]string{"1:38 DELETE /rest/v1.0/checklist/lists/{id}"}},
		{"js escaped slashes", LangJS,
			"fetch(\"\\/rest\\/v1.0\\/checklist\\/lists\", { method: 'POST' })",
			[]string{"1:7 POST /rest/v1.0/checklist/lists"}},
		{"ruby sdk client in a constant", LangRuby,
			"CLIENT.post(\"checklist/lists\", body)",
			[]string{"1:13 POST /rest/v1.0/checklist/lists"}},
		{"js vapid", LangJS,
			"fetch(`/vapid/projects/${p}/rfis`)",
			[]string{"1:7 GET? unmapped /vapid/projects/{}/rfis (the vapid API is deprecated and not in the endpoint table)"}},
		{"ruby httparty", LangRuby,
			"HTTParty.post(\"#{base}/rest/v1.0/checklist/lists\", body: b)\nraise \"#{base}/rest/v1.0/checklist/lists failed\"\n",
			[]string{"1:15 POST /rest/v1.0/checklist/lists"}},
		{"python requests.request and nested quotes", LangPython,
			"requests.request(\"DELETE\", f\"{b}/rest/v1.0/checklist/lists/{i}\")\nx = f\"{d['base']}/rest/v1.0/checklist/lists\"\n",
			[]string{"1:28 DELETE /rest/v1.0/checklist/lists/{id}", "2:5 GET? /rest/v1.0/checklist/lists"}},
		{"go NewRequest string method", LangGo,
			"req, err := http.NewRequest(\"POST\", base+\"/rest/v1.0/checklist/lists\", body)",
			[]string{"1:42 POST /rest/v1.0/checklist/lists"}},
		{"csharp logger", LangCSharp,
			"_logger.LogInformation($\"{b}/rest/v1.0/checklist/lists\");",
			nil},
		{"java HttpDelete and logger", LangJava,
			"HttpDelete d = new HttpDelete(base + \"/rest/v1.0/checklist/lists/\" + id);\nlog.info(\"/rest/v1.0/checklist/lists\");",
			[]string{"1:38 DELETE /rest/v1.0/checklist/lists/{id}"}},
		{"php guzzle request", LangPHP,
			"<?php $client->request('PATCH', \"/rest/v1.0/checklist/lists/$id\");",
			[]string{"1:33 PATCH /rest/v1.0/checklist/lists/{id}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range FindCalls(tt.lang, []byte(tt.src), nil) {
				got = append(got, describe(c))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("FindCalls:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
