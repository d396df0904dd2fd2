package api

// SetExportPage makes the data export read its paged lists n items at a
// time; it returns the old size.
func SetExportPage(n int) int {
	old := exportPage
	exportPage = n
	return old
}
