package lint

import (
	"github.com/manifestctl/manifestctl/internal/suggest"
	"sort"
	"strings"
	"testing"
)

func TestViewKeys(t *testing.T) {
	keys := ViewKeys()
	if len(keys) < 40 {
		t.Fatalf("ViewKeys() has %d keys, want the documented list (over 40)", len(keys))
	}
	if !sort.StringsAreSorted(keys) {
		t.Error("ViewKeys() is not sorted")
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("key %q listed twice", k)
		}
		seen[k] = true
		if k != strings.ToLower(k) || strings.ContainsAny(k, " #\t") || strings.Count(k, ".") < 1 {
			t.Errorf("key %q is not of the form tool.resource.action in lowercase", k)
		}
	}
	keys[0] = "changed"
	if ViewKeys()[0] == "changed" {
		t.Error("ViewKeys returns the shared slice")
	}
}

func TestIsKnownViewKey(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"commitments.work_order_contracts.detail", true},
		{"commitments.purchase_order_contracts.detail", true},
		{"commitments.requisitions.new", true},
		{"commitments.commitment_contract_change_orders.detail", true},
		{"prime_contracts.detail", true},
		{"prime_contracts.invoices.list", true},
		{"schedule.calendar.task.detail", true},
		{"change_events.all", true},
		{"commitments.work_order_contracts.all", true},
		{"commitments.purchase_orders.detail", false}, // Procore's 4.1 example
		{"commitments.purchase_orders.all", false},
		{"Commitments.Work_Order_Contracts.Detail", false},
		{"all", false},
		{".all", false},
		{"", false},
		{"# Commitments", false},
	}
	for _, tt := range tests {
		if got := IsKnownViewKey(tt.key); got != tt.want {
			t.Errorf("IsKnownViewKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestSuggestViewKey(t *testing.T) {
	tests := []struct {
		key  string
		want string
	}{
		{"commitments.purchase_orders.detail", "commitments.purchase_order_contracts.detail"},
		{"commitments.purchase_orders.edit", "commitments.purchase_order_contracts.edit"},
		{"commitments.work_order_contract.detail", "commitments.work_order_contracts.detail"},
		{"RFI.Detail", "rfi.detail"},
		{"change_events.detial", "change_events.detail"},
		{"hange_events.edit", "change_events.edit"},
		{"budgeting.lists", "budgeting.list"},
		{"reports.custom.list", ""},
		{"x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SuggestViewKey(tt.key); got != tt.want {
			t.Errorf("SuggestViewKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"abc", "abd", 1},
		{"abc", "acb", 1}, // transposition
		{"account", "acount", 1},
		{"kitten", "sitting", 3},
		{"ü", "u", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := suggest.Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("suggest.Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := suggest.Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("suggest.Distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosestCandidate(t *testing.T) {
	tests := []struct {
		name       string
		word       string
		candidates []string
		want       string
	}{
		{"typo", "acount", []string{"region", "account"}, "account"},
		{"case only", "MyCustomField", []string{"myCustomField"}, "myCustomField"},
		{"too far", "tenant", []string{"account", "region"}, ""},
		{"short words need close matches", "ab", []string{"xy"}, ""},
		{"no candidates", "abc", nil, ""},
		{"tie goes to the first", "ab", []string{"ac", "ad"}, "ac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := closestCandidate(tt.word, tt.candidates); got != tt.want {
				t.Errorf("closestCandidate(%q, %q) = %q, want %q", tt.word, tt.candidates, got, tt.want)
			}
		})
	}
}
