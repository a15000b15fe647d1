package lsns

// The JSON format, laid out like util-linux's JSON writer: three spaces
// per level, "},{" between objects, lower-cased keys, null for empty cells.

type jsonWriter struct {
	b          []byte
	indent     int
	afterClose bool
}

func (j *jsonWriter) pad() {
	for i := 0; i < j.indent; i++ {
		j.b = append(j.b, "   "...)
	}
}

// open starts a named or anonymous object ('{') or array ('[') or, for
// kind 0, a value.
func (j *jsonWriter) open(name string, named bool, kind byte) {
	if named {
		if j.afterClose {
			j.b = append(j.b, ",\n"...)
		}
		j.pad()
		j.b = jsonQuote(j.b, name, true)
	} else {
		if j.afterClose {
			j.b = append(j.b, ',')
		} else {
			j.pad()
		}
	}
	switch kind {
	case '{', '[':
		if named {
			j.b = append(j.b, ": "...)
		}
		j.b = append(j.b, kind, '\n')
		j.indent++
	default:
		if named {
			j.b = append(j.b, ": "...)
		} else {
			j.b = append(j.b, ' ')
		}
	}
	j.afterClose = false
}

func (j *jsonWriter) close(kind byte) {
	switch kind {
	case '{':
		j.indent--
		j.b = append(j.b, '\n')
		j.pad()
		j.b = append(j.b, '}')
		if j.indent == 0 {
			j.b = append(j.b, '\n')
		}
	case '[':
		j.indent--
		j.b = append(j.b, '\n')
		j.pad()
		j.b = append(j.b, ']')
	}
	j.afterClose = true
}

func (j *jsonWriter) value(name, data string, number bool) {
	j.open(name, true, 0)
	switch {
	case data == "":
		j.b = append(j.b, "null"...)
	case number:
		j.b = append(j.b, data...)
	default:
		j.b = jsonQuote(j.b, data, false)
	}
	j.afterClose = true
}

func (t *table) appendJSON(b []byte) []byte {
	j := &jsonWriter{b: b}
	j.open("", false, '{')
	j.open(t.name, true, '[')
	vis := t.visible()
	values := func(l *tline) {
		for _, i := range vis {
			c := t.cols[i]
			data, _ := l.cell(i)
			if c.wrapNL {
				data = firstChunk(data)
			}
			j.value(c.name, data, c.number)
		}
	}
	if !t.isTree() {
		for _, l := range t.lines {
			j.open("", false, '{')
			values(l)
			j.close('{')
		}
	} else {
		var roots []*tline
		for _, l := range t.lines {
			if l.parent == nil {
				roots = append(roots, l)
			}
		}
		lastRoot := func(l *tline) bool { return l.parent == nil && roots[len(roots)-1] == l }
		for _, l := range t.ordered() {
			j.open("", false, '{')
			values(l)
			if len(l.children) > 0 {
				j.open("children", true, '[')
				continue
			}
			// Close this object and every enclosing one it ends.
			for ln := l; ln != nil; {
				last := isLastChild(ln) || lastRoot(ln)
				j.close('{')
				if last && ln.parent != nil {
					j.close('[')
				}
				if !last {
					break
				}
				ln = ln.parent
			}
		}
	}
	j.close('[')
	j.close('{')
	return j.b
}
