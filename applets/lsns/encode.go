package lsns

import (
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// How libsmartcols makes cell text safe for a terminal and measures it.
// The rules depend on whether the C library would run in a UTF-8 locale.

// encoder knows the character set of the output.
type encoder struct{ utf8 bool }

// localeIsUTF8 decides what setlocale(LC_ALL, "") would give lsns: the
// first of LC_ALL, LC_CTYPE, LANG that is set names the locale, and only
// a UTF-8 locale that exists on the system changes anything.
func localeIsUTF8() bool {
	name := ""
	for _, v := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if s := os.Getenv(v); s != "" {
			name = s
			break
		}
	}
	lang, codeset, ok := strings.Cut(name, ".")
	if !ok {
		return false
	}
	codeset, _, _ = strings.Cut(codeset, "@")
	norm := strings.ToLower(strings.ReplaceAll(codeset, "-", ""))
	if norm != "utf8" {
		return false
	}
	if lang == "C" || lang == "POSIX" {
		return true // built into glibc since 2.35
	}
	for _, p := range []string{"/usr/lib/locale/" + lang + ".utf8", "/usr/lib/locale/" + name, "/usr/lib/locale/locale-archive"} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

const hexDigits = "0123456789abcdef"

func appendHex(b []byte, c byte) []byte {
	return append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
}

// isCCntrl and isCPrint are the C locale's single-byte classes, which a
// UTF-8 locale shares for single bytes.
func isCCntrl(c byte) bool { return c < 0x20 || c == 0x7f }
func isCPrint(c byte) bool { return c >= 0x20 && c < 0x7f }

// safe encodes s for human output: control characters, "\x" (so that
// escapes stay unambiguous), invalid or unprintable characters become
// \xHH; bytes in keep pass unchanged and count no width. It returns the
// text and its width in terminal cells.
func (e encoder) safe(s string, keep string) (string, int) {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return s, len(s)
	}
	b := make([]byte, 0, len(s)+8)
	width := 0
	for i := 0; i < len(s); {
		c := s[i]
		if keep != "" && strings.IndexByte(keep, c) >= 0 {
			b = append(b, c)
			i++
			continue
		}
		if (c == '\\' && i+1 < len(s) && s[i+1] == 'x') || isCCntrl(c) {
			b = appendHex(b, c)
			width += 4
			i++
			continue
		}
		if c < 0x80 {
			b = append(b, c)
			width++
			i++
			continue
		}
		if !e.utf8 {
			b = appendHex(b, c)
			width += 4
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b = appendHex(b, c)
			width += 4
			n = 1
		case !isWPrint(r):
			for j := 0; j < n; j++ {
				b = appendHex(b, s[i+j])
				width += 4
			}
		default:
			b = append(b, s[i:i+n]...)
			width += runeWidth(r)
		}
		i += n
	}
	return string(b), width
}

// width measures text that is already safe.
func (e encoder) width(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 || !e.utf8 {
			w++
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			w++
			i++
			continue
		}
		w += runeWidth(r)
		i += n
	}
	return w
}

// truncate cuts safe text to at most width cells, never inside a
// character; it returns the text and its width.
func (e encoder) truncate(s string, width int) (string, int) {
	w := 0
	for i := 0; i < len(s); {
		cw, n := 1, 1
		if e.utf8 && s[i] >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !(r == utf8.RuneError && size <= 1) {
				cw, n = runeWidth(r), size
			}
		}
		if w+cw > width {
			return s[:i], w
		}
		w += cw
		i += n
	}
	return s, w
}

// isWPrint approximates glibc's iswprint: graphic characters and spaces,
// plus format characters (which take no room).
func isWPrint(r rune) bool {
	return unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r)
}

// wideRanges are the East Asian wide and full-width blocks (two cells).
var wideRanges = [][2]rune{
	{0x1100, 0x115f}, {0x2329, 0x232a}, {0x2e80, 0x303e}, {0x3040, 0xa4cf},
	{0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19}, {0xfe30, 0xfe6f},
	{0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff},
	{0x20000, 0x2fffd}, {0x30000, 0x3fffd},
}

// runeWidth is wcwidth for a printable character.
func runeWidth(r rune) int {
	if r < 0x300 {
		return 1
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || (r >= 0x1160 && r <= 0x11ff) {
		return 0
	}
	for _, rg := range wideRanges {
		if r >= rg[0] && r <= rg[1] {
			return 2
		}
	}
	return 1
}

// rawEscape is libsmartcols' raw-format encoding: blanks, backslashes,
// control characters and every byte outside printable ASCII become \xHH.
func rawEscape(s string) string {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\\' || !isCPrint(c) {
			b = appendHex(b, c)
		} else {
			b = append(b, c)
		}
	}
	return string(b)
}

// jsonQuote is util-linux's JSON string encoding: quotes and backslashes
// escaped, short escapes for \b \t \n \f \r, \u00XX for other control
// bytes, everything else (UTF-8 included) byte for byte.
func jsonQuote(b []byte, s string, lower bool) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20:
			if lower && c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return append(b, '"')
}
