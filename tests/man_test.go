package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nsbox/applets/lsns"
	nsenterapplet "nsbox/applets/nsenter"
	"nsbox/applets/unshare"
	"nsbox/getopt"
)

// TestManPagesFormat: groff finds nothing to warn about in any page.
func TestManPagesFormat(t *testing.T) {
	pages, _ := filepath.Glob("../man/*.[0-9]")
	if len(pages) == 0 {
		t.Fatal("no man pages in ../man")
	}
	for _, p := range pages {
		Want(t, Sys(t, "groff", "-man", "-ww", "-z", p), "", "", 0)
	}
}

// TestManPagesDocumentEveryOption: every option an applet's parser
// accepts is in its page.
func TestManPagesDocumentEveryOption(t *testing.T) {
	for _, c := range []struct {
		page   string
		longs  []getopt.Long
		shorts string
	}{
		{"../man/unshare.1", unshare.Options(), unshare.ShortOptions()},
		{"../man/nsenter.1", nsenterapplet.Options(), strings.Replace(nsenterapplet.ShortOptions(), "Z", "", 1)},
		{"../man/lsns.8", lsns.Options(), lsns.ShortOptions()},
	} {
		b, err := os.ReadFile(c.page)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, l := range c.longs {
			if !strings.Contains(text, `\-\-`+strings.ReplaceAll(l.Name, "-", `\-`)) {
				t.Errorf("%s does not document --%s", c.page, l.Name)
			}
		}
		for _, s := range strings.Trim(c.shorts, "+:") {
			if s != ':' && !strings.Contains(text, `.BR \-`+string(s)+` ",`) {
				t.Errorf("%s does not document -%c", c.page, s)
			}
		}
	}
}
