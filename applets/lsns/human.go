package lsns

import "strings"

// The human format: padded columns separated by one space.

// keepChars are the bytes a column leaves unescaped: the newlines that
// split a multi-line cell.
func keepChars(c *tcol) string {
	if c.wrapNL {
		return "\n"
	}
	return ""
}

// chunkWidth is the width of the widest newline-separated part of a
// multi-line cell (libsmartcols' wrapnl chunk size).
func (t *table) chunkWidth(s string) int {
	w := 0
	for _, part := range strings.Split(s, "\n") {
		_, pw := t.enc.safe(part, "")
		w = max(w, pw)
	}
	return w
}

// calculate sets every column's width from its header and data, then
// narrows truncatable columns to fit a terminal.
func (t *table) calculate(vis []int, order []*tline) {
	for _, i := range vis {
		c := t.cols[i]
		header := 0
		if !t.noHeadings {
			_, header = t.enc.safe(c.name, "")
		}
		c.widthMin = max(header, 1)
		data := 0
		for _, l := range order {
			s, art := t.cellText(l, i)
			var w int
			if c.wrapNL {
				w = t.chunkWidth(s)
			} else {
				_, w = t.enc.safe(s, "")
			}
			data = max(data, w)
			if c.tree() {
				c.treeArt = max(c.treeArt, t.enc.width(s[:art]))
			}
		}
		// libsmartcols 2.42: a column is as wide as its widest cell, but
		// never narrower than its header, and a width hint pads a column
		// whose data is wider than the header but narrower than the hint.
		c.width = data
		if c.width <= c.widthMin {
			c.width = c.widthMin
		} else if c.whint >= 1 && c.width < c.whint && c.widthMin < c.whint {
			c.width = c.whint
		}
		if data == 0 && t.noHeadings && c.widthMin == 1 && c.width <= 1 {
			c.width, c.widthMin = 0, 0
		}
	}
	if !t.isTerm {
		return
	}
	total := len(vis) - 1
	for _, i := range vis {
		total += t.cols[i].width
	}
	// Only truncatable columns give up room, one cell per pass, never
	// below their header width and never into the tree art.
	for total > t.termWidth {
		changed := false
		for _, i := range vis {
			c := t.cols[i]
			if total <= t.termWidth {
				break
			}
			if c.width == c.widthMin || c.width == 0 || c.flags&flTrunc == 0 {
				continue
			}
			if c.tree() && total <= c.treeArt {
				continue
			}
			c.width--
			total--
			changed = true
		}
		if !changed {
			break
		}
	}
}

// humanState carries the text of multi-line cells still to be printed.
type humanState struct {
	pending map[int]string
}

func (h *humanState) hasPending() bool { return len(h.pending) > 0 }

func (t *table) appendHuman(b []byte) []byte {
	vis := t.visible()
	order := t.ordered()
	t.calculate(vis, order)
	last := vis[len(vis)-1]
	if !t.noHeadings {
		for _, i := range vis {
			c := t.cols[i]
			s, w := t.enc.safe(c.name, "")
			b = t.appendCell(b, c, i == last, s, w)
		}
		b = append(b, '\n')
	}
	h := &humanState{pending: map[int]string{}}
	for _, l := range order {
		for _, i := range vis {
			c := t.cols[i]
			raw, _ := t.cellText(l, i)
			s, w := t.enc.safe(raw, keepChars(c))
			if c.wrapNL && s != "" {
				if k := strings.IndexByte(s, '\n'); k >= 0 {
					if rest := s[k+1:]; rest != "" {
						h.pending[i] = rest
					}
					s = s[:k]
					w = t.enc.width(s)
				}
			}
			b = t.appendCell(b, c, i == last, s, w)
		}
		b = append(b, '\n')
		for h.hasPending() {
			for _, i := range vis {
				c := t.cols[i]
				if rest, ok := h.pending[i]; ok {
					s := rest
					if k := strings.IndexByte(rest, '\n'); k >= 0 {
						s = rest[:k]
						if rest[k+1:] != "" {
							h.pending[i] = rest[k+1:]
						} else {
							delete(h.pending, i)
						}
					} else {
						delete(h.pending, i)
					}
					b = t.appendPadded(b, c, i == last, s, t.enc.width(s))
					continue
				}
				art := ""
				if c.tree() {
					art = t.artAbove(l)
					if len(l.children) > 0 && h.hasPending() {
						art += t.symbols.vert
					}
				}
				b = t.appendPadded(b, c, i == last, art, t.enc.width(art))
			}
			b = append(b, '\n')
		}
	}
	return b
}

// appendCell prints one cell: right alignment, truncation, padding and
// the separator; the last column is not padded unless right-aligned.
func (t *table) appendCell(b []byte, c *tcol, isLast bool, s string, w int) []byte {
	width := c.width
	if isLast && w < width && !c.right() {
		width = w
	}
	if w > width && c.flags&flTrunc != 0 {
		s, w = t.enc.truncate(s, width)
	}
	if s != "" && c.right() {
		for ; w < width; w++ {
			b = append(b, ' ')
		}
	}
	b = append(b, s...)
	if isLast {
		return b
	}
	for ; w < width; w++ {
		b = append(b, ' ')
	}
	return append(b, ' ')
}

// appendPadded prints a continuation-line cell: text on the left, padded
// unless it is the last column.
func (t *table) appendPadded(b []byte, c *tcol, isLast bool, s string, w int) []byte {
	b = append(b, s...)
	if isLast {
		return b
	}
	for ; w < c.width; w++ {
		b = append(b, ' ')
	}
	return append(b, ' ')
}
