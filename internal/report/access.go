package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/manifestctl/manifestctl/internal/access"
)

// Access is the report of access compare: text, json (DESIGN shape) and
// markdown.
var Access = &Kind[*access.Report]{Name: "access compare", formats: map[string]func(io.Writer, *access.Report, Options) error{
	"text":     func(w io.Writer, r *access.Report, _ Options) error { return accessText(w, r) },
	"json":     func(w io.Writer, r *access.Report, _ Options) error { return writeJSON(w, r) },
	"markdown": func(w io.Writer, r *access.Report, _ Options) error { return accessMarkdown(w, r) },
}}

// AccessSummaryLine is the one-line summary of a comparison: the projects
// of each kind and the requests.
func AccessSummaryLine(r *access.Report) string {
	s := r.Summary
	return fmt.Sprintf("%s: %d both, %d bot_only, %d user_only · %s",
		accessPlural(len(r.Projects), "project"), s.Both, s.BotOnly, s.UserOnly, accessPlural(int(r.Requests), "request"))
}

func accessPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// printable makes line breaks and tabs spaces and drops other control
// characters (an API's names reach a terminal).
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, s)
}

// accessCompany is "company 10 (Acme)", or "company 10" with no name.
func accessCompany(r *access.Report) string {
	if r.CompanyName == "" {
		return "company " + strconv.FormatInt(r.CompanyID, 10)
	}
	return fmt.Sprintf("company %d (%s)", r.CompanyID, printable(r.CompanyName))
}

// accessUser is "dana@example.com (user 77, Dana Demo)".
func accessUser(r *access.Report) string {
	who := printable(r.User.Login)
	if who == "" {
		who = "user " + strconv.FormatInt(r.User.ID, 10)
	} else {
		who += " (user " + strconv.FormatInt(r.User.ID, 10)
		if n := printable(r.UserName); n != "" && n != who {
			who += ", " + n
		}
		who += ")"
	}
	return who
}

// AccessNotMember is the message for a user outside the company.
func AccessNotMember(r *access.Report) string {
	return fmt.Sprintf("%s is not in %s: do not show this company's data to this user",
		accessUser(r), accessCompany(r))
}

const accessLegend = "both: the service account (DMSA) and the user reach it; bot_only: only the DMSA;\n" +
	"user_only: only the user. Act on a project for this user only when it is both."

func accessText(w io.Writer, r *access.Report) error {
	bw := bufio.NewWriter(w)
	if r.UserInCompany {
		fmt.Fprintf(bw, "%s: %s is in the company\n\n", capitalize(accessCompany(r)), accessUser(r))
	} else {
		fmt.Fprintf(bw, "%s: %s is NOT in the company\n", capitalize(accessCompany(r)), accessUser(r))
		bw.WriteString("Do not show this company's data to this user; the user's projects were not listed.\n\n")
	}
	if len(r.Projects) == 0 {
		bw.WriteString("Neither lists a project.\n")
	} else {
		idw, accw := len("PROJECT"), len("ACCESS")
		for _, p := range r.Projects {
			idw = max(idw, len(strconv.FormatInt(p.ID, 10)))
			accw = max(accw, len(p.Access))
		}
		fmt.Fprintf(bw, "%-*s  %-*s  %s\n", idw, "PROJECT", accw, "ACCESS", "NAME")
		for _, p := range r.Projects {
			line := fmt.Sprintf("%-*d  %-*s  %s", idw, p.ID, accw, p.Access, printable(p.Name))
			bw.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		if r.Summary.BotOnly+r.Summary.UserOnly > 0 {
			bw.WriteString("\n" + accessLegend + "\n")
		}
	}
	bw.WriteString("\n" + AccessSummaryLine(r) + "\n")
	return bw.Flush()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func accessMarkdown(w io.Writer, r *access.Report) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("### manifestctl access compare: " + markdownCell(accessCompany(r)) + "\n\n")
	if r.UserInCompany {
		bw.WriteString("The user " + markdownCell(accessUser(r)) + " **is** in the company.\n\n")
	} else {
		bw.WriteString("> **The user " + markdownCell(accessUser(r)) + " is not in the company:** do not show this company's data to this user. The user's projects were not listed.\n\n")
	}
	if len(r.Projects) == 0 {
		bw.WriteString("Neither lists a project.\n\n")
	} else {
		bw.WriteString("| Project | Name | Access |\n| --- | --- | --- |\n")
		for _, p := range r.Projects {
			bw.WriteString("| " + strconv.FormatInt(p.ID, 10) + " | " + markdownCell(printable(p.Name)) + " | `" + string(p.Access) + "` |\n")
		}
		bw.WriteString("\n")
		if r.Summary.BotOnly+r.Summary.UserOnly > 0 {
			bw.WriteString("`both`: the service account (DMSA) and the user both reach it; `bot_only`: only the DMSA; `user_only`: only the user. " +
				"Act on a project for this user only when it is `both`.\n\n")
		}
	}
	bw.WriteString(markdownCell(AccessSummaryLine(r)) + "\n")
	return bw.Flush()
}
