// Command gen writes a deterministic corpus of App Manifest 4.1 documents for
// the benchmarks, shaped as DESIGN.md describes the format (top-level
// fullscreen and sidepanel objects, top-level permissions):
//
//	OUT/valid/mNNNNN.json    -valid manifests (default 10000)
//	OUT/invalid/xNNNNN.json  -invalid manifests (default 1000), one defect each:
//	                         a bad level, a missing required member, a bad URL
//	                         or a bad version
//	ONE                      one typical manifest of about 3 KB
//
// bench/run.sh uses it when ../shared/bench/gen (the shared generator, which
// the published reference figures were measured with) is not beside the
// checkout. The same flags and seed always give the same bytes.
//
// Usage:
//
//	go run ./bench/gen -out DIR -one FILE [-valid N] [-invalid N] [-seed S]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// member is one key/value pair of an ordered object.
type member struct {
	key string
	val any
}

// object is a JSON object that keeps its member order.
type object []member

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(m.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(m.val)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o *object) set(key string, val any) {
	for i := range *o {
		if (*o)[i].key == key {
			(*o)[i].val = val
			return
		}
	}
	*o = append(*o, member{key, val})
}

func (o *object) del(key string) {
	for i := range *o {
		if (*o)[i].key == key {
			*o = append((*o)[:i], (*o)[i+1:]...)
			return
		}
	}
}

var (
	// Tool keys of the embedded catalogue (permissions/catalog.json, 2026.06.0)
	// that allow every level, so that valid manifests are mostly clean; a
	// few grants use unknownTools (MC101 warnings, as in real repositories).
	companyTools = strings.Fields("account_onboarding app_management bid_board calendar checklists connection_manager cost_catalog directory documents equipment erp_integrations home inspections permissions planroom reports schedule timecard timesheets")
	projectTools = strings.Fields("action_plans bidding budgeting change_events change_orders checklists commitments coordination_issues correspondence crews daily_log direct_costs directory documents drawings emails forms home images incidents meetings observations prime_contract punch_list reports rfi schedule specifications submittals tasks transmittals")
	unknownTools = strings.Fields("insurance_manager prequalification workforce_planning field_reports site_photos")
	// levels are weighted as apps declare them: mostly read-only and
	// standard, some admin, rarely an explicit none.
	levels = []string{"readonly", "readonly", "readonly", "readonly", "readonly", "readonly", "readonly", "readonly", "readonly", "readonly",
		"standard", "standard", "standard", "standard", "standard", "standard", "standard", "standard", "admin", "none"}
	vendors    = strings.Fields("acme gridline hardhat keystone mortar northstar plumbline rebar sitelens trussworks")
	words      = strings.Fields("sync field daily report budget cost schedule drawing photo punch safety crew equipment submittal invoice bridge tracker planner viewer dashboard")
	prose      = strings.Fields("Once the app is installed a company administrator connects the account and maps every project to a workspace in the external system. Changes are synchronised every few minutes in both directions. The service account needs access to each project that should be included. Contact support when the first import takes longer than an hour. Crème brûlée, façade, naïve — “typographic” quotes survive a round trip.")
	views      = strings.Fields("change_events.detail change_events.list budgeting.detail budgeting.list submittal_logs.detail drawing_areas_drawing_log.list rfi.detail commitments.contracts.list commitments.work_order_contracts.detail prime_contracts.detail project_directory.vendors.edit project.unlisted_view.detail")
	fieldTypes = []string{"string", "integer", "number", "boolean"}
)

type gen struct{ r *rand.Rand }

func (g *gen) pick(s []string) string { return s[g.r.IntN(len(s))] }

func (g *gen) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// tool returns key, or one grant in forty an unknown tool key.
func (g *gen) tool(key string) string {
	if g.r.IntN(40) == 0 {
		return g.pick(unknownTools)
	}
	return key
}

func (g *gen) text(minLen, maxLen int) string {
	n := minLen + g.r.IntN(maxLen-minLen+1)
	var sb strings.Builder
	for i := g.r.IntN(len(prose)); sb.Len() < n; i++ {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(prose[i%len(prose)])
	}
	return sb.String()
}

func (g *gen) url(vendor, path string) string {
	return fmt.Sprintf("https://%s.example.com/%s?app=%d", vendor, path, g.r.IntN(100000))
}

func (g *gen) title() string {
	a, b := g.pick(words), g.pick(words)
	return strings.ToUpper(a[:1]) + a[1:] + " " + strings.ToUpper(b[:1]) + b[1:]
}

// shape says how big a manifest is.
type shape struct {
	perms      int
	fullscreen bool
	sidepanel  bool
	fields     int
	notes      int
}

func (g *gen) randomShape() shape {
	s := shape{perms: g.r.IntN(31), notes: 20 + g.r.IntN(1200)}
	if g.r.IntN(10) < 7 {
		s.fullscreen = g.r.IntN(2) == 0
		s.sidepanel = !s.fullscreen || g.r.IntN(2) == 0
		if g.r.IntN(5) < 3 {
			s.fields = 1 + g.r.IntN(6)
		}
	}
	return s
}

func (g *gen) embedded(vendor string, side bool, fields int) object {
	c := object{{"uuid", g.uuid()}, {"description", g.text(20, 200)}}
	var keys []string
	props := object{}
	var required []string
	for i := 0; i < fields; i++ {
		key := fmt.Sprintf("%s_%s_%d", g.pick(words), g.pick(words), i)
		keys = append(keys, key)
		p := object{{"name", g.title()}, {"type", g.pick(fieldTypes)}, {"description", g.text(20, 120)}}
		if g.r.IntN(3) == 0 {
			p.set("support_link", object{{"url", g.url(vendor, "docs/"+key)}, {"label", "Learn more"}})
		}
		props.set(key, p)
		if g.r.IntN(2) == 0 {
			required = append(required, key)
		}
	}
	src := g.url(vendor, "procore/embed") + "&company={{procore.company.id}}&project={{procore.project.id}}"
	for _, k := range keys {
		src += "&" + k + "={{" + k + "}}"
	}
	c.set("source_url", src)
	if side {
		perm := g.r.Perm(len(views))[:1+g.r.IntN(4)]
		v := make([]string, len(perm))
		for i, p := range perm {
			v[i] = views[p]
		}
		c.set("views", v)
	}
	if fields > 0 {
		schema := object{{"type", "object"}}
		if required != nil {
			schema.set("required", required)
		}
		schema.set("properties", props)
		c.set("user_configuration", object{{"schema", schema}})
	}
	return c
}

func (g *gen) manifest(s shape) object {
	vendor := g.pick(vendors)
	m := object{{"schema_version", "4.1"}}
	m.set("app_manifest", object{{"id", g.uuid()}, {"name", g.title() + " for Procore"},
		{"version", fmt.Sprintf("%d.%d.%d", g.r.IntN(5), g.r.IntN(30), g.r.IntN(100))}})
	m.set("post_installation_instruction", object{{"notes", g.text(s.notes, s.notes+100)},
		{"page", object{{"url", g.url(vendor, "procore/setup")}, {"label", "Setup guide"}}}})
	if s.fullscreen {
		m.set("fullscreen", g.embedded(vendor, false, s.fields))
	}
	if s.sidepanel {
		m.set("sidepanel", g.embedded(vendor, true, s.fields))
	}
	if s.perms > 0 {
		company, project := object{}, object{}
		nc := g.r.IntN(s.perms + 1)
		for _, i := range g.r.Perm(len(companyTools))[:min(nc, len(companyTools))] {
			company.set(g.tool(companyTools[i]), g.pick(levels))
		}
		for _, i := range g.r.Perm(len(projectTools))[:min(s.perms-nc, len(projectTools))] {
			project.set(g.tool(projectTools[i]), g.pick(levels))
		}
		perms := object{}
		if len(company) > 0 {
			perms.set("company", company)
		}
		if len(project) > 0 {
			perms.set("project", project)
		}
		m.set("permissions", perms)
	}
	return m
}

// invalid returns a manifest with one defect of the given kind.
func (g *gen) invalid(kind int) object {
	s := g.randomShape()
	s.perms = max(s.perms, 1)
	m := g.manifest(s)
	switch kind {
	case 0: // a level no tool has
		perms := m[len(m)-1].val.(object)
		for _, sc := range perms {
			if o := sc.val.(object); len(o) > 0 {
				o[g.r.IntN(len(o))].val = g.pick([]string{"write", "owner", "full", ""})
				break
			}
		}
	case 1: // a missing required member
		m.del("schema_version")
	case 2: // a URL that is not https
		m.set("post_installation_instruction", object{{"notes", g.text(40, 200)},
			{"page", object{{"url", "http://" + g.pick(vendors) + ".example.com/setup"}, {"label", "Setup guide"}}}})
	default: // a version that is not MAJOR.MINOR.PATCH
		m.set("app_manifest", object{{"id", g.uuid()}, {"name", g.title()}, {"version", g.pick([]string{"1.0", "v1.2.3", "1.2.3.4", "latest"})}})
	}
	return m
}

func write(path string, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	out := flag.String("out", "corpus", "corpus directory")
	one := flag.String("one", "one.json", "where to write one typical manifest")
	nValid := flag.Int("valid", 10000, "number of valid manifests")
	nInvalid := flag.Int("invalid", 1000, "number of invalid manifests")
	seed := flag.Uint64("seed", 41, "seed of the pseudo-random generator")
	flag.Parse()
	for _, d := range []string{"valid", "invalid"} {
		dir := filepath.Join(*out, d)
		if err := os.RemoveAll(dir); err != nil {
			log.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
	}
	g := &gen{r: rand.New(rand.NewPCG(*seed, 6))}
	for i := 0; i < *nValid; i++ {
		write(filepath.Join(*out, "valid", fmt.Sprintf("m%05d.json", i)), g.manifest(g.randomShape()))
	}
	for i := 0; i < *nInvalid; i++ {
		write(filepath.Join(*out, "invalid", fmt.Sprintf("x%05d.json", i)), g.invalid(i%4))
	}
	typical := &gen{r: rand.New(rand.NewPCG(*seed, 7))}
	write(*one, typical.manifest(shape{perms: 12, fullscreen: true, sidepanel: true, fields: 2, notes: 250}))
}
