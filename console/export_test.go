package console

import "io/fs"

// Files is the embedded static folder, for the tests of package
// console_test.
func Files() fs.FS {
	sub, err := fs.Sub(embedded, "static")
	if err != nil {
		panic(err)
	}
	return sub
}
