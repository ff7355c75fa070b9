package release_test

import (
	"fmt"
	"log"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/release"
)

// A program that generates a 4.1 manifest with a side panel and a service
// account that reads RFIs.
func ExampleBuilder() {
	b, err := release.NewBuilder(manifest.V41)
	if err != nil {
		log.Fatal(err)
	}
	steps := []error{
		b.SetNotes("Choose the projects to sync after installing."),
		b.AddSidepanel(release.Component{
			UUID:        "32956424-93ba-4f09-b76f-edae555c514d",
			URL:         "https://app.example.com/panel?project={{procore.project.id}}",
			Description: "Example data next to RFIs",
			Views:       []string{"rfis.detail"},
		}),
		b.Grant("project", "rfi", "Read Only"),
	}
	for _, err := range steps {
		if err != nil {
			log.Fatal(err)
		}
	}
	if err := b.Grant("company", "admin", "standard"); err != nil {
		fmt.Println(err)
	}
	src, err := b.Bytes()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(src))
	// Output:
	// build manifest: company:admin: level "standard" is not allowed for company tool "admin" (Admin): the Permission Builder offers only none, admin
	// {
	//   "schema_version": "4.1",
	//   "post_installation_instruction": {
	//     "notes": "Choose the projects to sync after installing."
	//   },
	//   "sidepanel": {
	//     "uuid": "32956424-93ba-4f09-b76f-edae555c514d",
	//     "views": [
	//       "rfis.detail"
	//     ],
	//     "source_url": "https://app.example.com/panel?project={{procore.project.id}}",
	//     "description": "Example data next to RFIs"
	//   },
	//   "permissions": {
	//     "project": {
	//       "rfi": "readonly"
	//     }
	//   }
	// }
}
