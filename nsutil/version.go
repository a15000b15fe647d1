package nsutil

// Version is nsbox's version, set at link time by the Makefile.
var Version = "0.1.0"

// Releases of the tools whose behaviour nsbox follows, named by -V.
const (
	UtilLinuxRelease = "2.42.2"
	IPRouteRelease   = "6.1.0"
)
