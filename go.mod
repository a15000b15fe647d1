module nsbox

go 1.26.8

require golang.org/x/sys v0.50.0

godebug (
	containermaxprocs=0
	updatemaxprocs=0
)
