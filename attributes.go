package zohohub

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// typeInfo is what zohohub knows about a record (or subform row) type,
// worked out once per type by one reflection pass and cached on the Client.
type typeInfo struct {
	typ    reflect.Type
	module string // "" for subform rows
	// fields are the mapped fields in declaration order, outer type first.
	fields []*fieldInfo
	byName map[string]*fieldInfo
	// modelIndex is the index path of the embedded Model, nil when none.
	modelIndex []int
	idField    *fieldInfo
	// listNames are the API names for a "fields" parameter: every mapped
	// field but id and the $ properties, which Zoho always returns.
	listNames []string
	// interns holds *internTables, so that the records of a page share
	// the copies of the texts they repeat (owners, picklist values).
	interns *sync.Pool
	// open: any API name is a field of the type, as for AnyRecord
	// (RecordsOf), whose unmapped fields Select and Where may name.
	open bool
	// rawJSON: a field holds a json.RawMessage, which is written as given
	// (white space kept, < > & not escaped), where every other value is
	// written as encoding/json writes it; see writeBodyJSON.
	rawJSON bool
	// objectSize is the size of the largest object encodeObject wrote, up
	// to maxObjectSizeHint: the buffer the next one starts with.
	objectSize atomic.Int32
	// shadowed: the records keep a shadow, a copy of their values as last
	// read or written, that a save compares with (shadow.go); deepFields
	// are the writable fields whose copy must copy what they point to.
	shadowed   bool
	deepFields []*fieldInfo
	// modelOffset is the offset of the embedded Model, for shadowed types.
	modelOffset uintptr
	// pageRecords is the number of records of the last page decoded: the
	// shadows the next page's first array holds.
	pageRecords atomic.Int32
	// insertBody and updateBody are the sizes the buffers of a write's
	// first request of inserts and of updates start with (bodySizeHint).
	insertBody, updateBody atomic.Int32
}

// maxObjectSizeHint bounds typeInfo.objectSize: a record with a long text
// must not make every later buffer as large.
const maxObjectSizeHint = 4 << 10

// fieldInfo describes one mapped struct field.
type fieldInfo struct {
	pos      int // position in typeInfo.fields
	goName   string
	apiName  string
	key      []byte // `"Api_Name":`, ready to append
	index    []int
	typ      reflect.Type
	readonly bool
	codec    *codec
	// offset is the field's offset in the record type (fieldOffset);
	// equal, set when the type keeps shadows, compares two of its values
	// there (shadow.go).
	offset uintptr
	equal  equalFunc
	// fast, when set, writes the field's JSON from its address
	// (codec_fast.go).
	fast *fastCodec
}

// The zoho struct tag: `zoho:"Api_Name,readonly"`; `zoho:"-"` skips the
// field; `zoho:"Amount,decimals=2"` says the field keeps 2 decimal places
// (Zoho's decimal_place), so a number needing more is refused rather than
// rounded by Zoho; on an embedded Model, `zoho:",module=Accounts"` names
// the module.
const tagName = "zoho"

type tagInfo struct {
	name     string
	readonly bool
	module   string
	places   int // decimals=N; -1 when absent
}

// maxTagPlaces bounds decimals=N: Zoho keeps at most 9 decimal places, and
// more than a float64 can tell apart makes no sense.
const maxTagPlaces = 18

func parseTag(tag string) (tagInfo, error) {
	parts := strings.Split(tag, ",")
	ti := tagInfo{name: strings.TrimSpace(parts[0]), places: -1}
	for _, opt := range parts[1:] {
		opt = strings.TrimSpace(opt)
		switch {
		case opt == "readonly":
			ti.readonly = true
		case strings.HasPrefix(opt, "module="):
			ti.module = strings.TrimPrefix(opt, "module=")
		case strings.HasPrefix(opt, "decimals="):
			n, err := strconv.Atoi(strings.TrimPrefix(opt, "decimals="))
			if err != nil || n < 0 || n > maxTagPlaces {
				return ti, fmt.Errorf("zoho tag option %q: want decimals=N, N from 0 to %d", opt, maxTagPlaces)
			}
			ti.places = n
		case opt == "":
		default:
			return ti, fmt.Errorf("unknown zoho tag option %q", opt)
		}
	}
	return ti, nil
}

// Moduler is implemented by record types: ZohoModule returns the API name
// of the module the type's records live in, such as "Accounts". Generated
// structs implement it; a type that embeds one inherits its module.
type Moduler interface {
	ZohoModule() string
}

var (
	modulerType    = reflect.TypeFor[Moduler]()
	translatorType = reflect.TypeFor[Translator]()
)

// typeCacheEntry is what the Client's cache holds per type: the info, or
// the error that the type cannot be a record.
type typeCacheEntry struct {
	info *typeInfo
	err  error
}

// recordType returns the info of record type t, from the client's cache
// when it was seen before.
func (c *Client) recordType(t reflect.Type) (*typeInfo, error) {
	if e, ok := c.types.Load(t); ok {
		ce := e.(*typeCacheEntry)
		return ce.info, ce.err
	}
	info, err := inspectRecordType(t)
	e, _ := c.types.LoadOrStore(t, &typeCacheEntry{info: info, err: err})
	ce := e.(*typeCacheEntry)
	return ce.info, ce.err
}

// inspectRecordType is the one reflection pass over a record type.
func inspectRecordType(t reflect.Type) (*typeInfo, error) {
	if t.Kind() == reflect.Pointer {
		return nil, fmt.Errorf("zohohub: record type %s is a pointer; use the struct type (Records[%s])", t, t.Elem().Name())
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("zohohub: record type %s is not a struct", t)
	}
	b := &typeBuilder{building: map[reflect.Type]bool{}}
	info, err := b.inspect(t)
	if err != nil {
		return nil, fmt.Errorf("zohohub: record type %s: %w", t, err)
	}
	if info.modelIndex == nil {
		return nil, fmt.Errorf("zohohub: record type %s does not embed zohohub.Model", t)
	}
	if module, ok, err := moduleOf(t); err != nil {
		return nil, fmt.Errorf("zohohub: record type %s: %w", t, err)
	} else if ok {
		info.module = module
	}
	if info.module == "" {
		return nil, fmt.Errorf("zohohub: record type %s has no module: give it a ZohoModule() string method (or embed a generated struct that has one, or tag its Model `zoho:\",module=Name\"`)", t)
	}
	if !validAPIName(info.module) {
		return nil, fmt.Errorf("zohohub: record type %s: module %q is not a Zoho API name", t, info.module)
	}
	return info, nil
}

// moduleOf calls the type's ZohoModule method, when it has one.
func moduleOf(t reflect.Type) (module string, ok bool, err error) {
	if !reflect.PointerTo(t).Implements(modulerType) {
		return "", false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ZohoModule panicked: %v", r)
		}
	}()
	return reflect.New(t).Interface().(Moduler).ZohoModule(), true, nil
}

// translationOf calls the type's ZohoTranslation method, when it has one.
func translationOf(t reflect.Type) (table map[string]string, err error) {
	if !reflect.PointerTo(t).Implements(translatorType) {
		return nil, nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ZohoTranslation panicked: %v", r)
		}
	}()
	return reflect.New(t).Interface().(Translator).ZohoTranslation(), nil
}

// typeBuilder carries the state of one inspection: the row types being
// built, to refuse a row type that contains itself.
type typeBuilder struct {
	building map[reflect.Type]bool
}

// rowInfo inspects a subform row type.
func (b *typeBuilder) rowInfo(t reflect.Type) (*typeInfo, error) {
	if b.building[t] {
		return nil, fmt.Errorf("type %s contains itself", t)
	}
	return b.inspect(t)
}

// candidate is a field found while walking the struct and its embedded
// structs, before clashes are resolved.
type candidate struct {
	sf       reflect.StructField
	index    []int
	depth    int
	apiName  string
	readonly bool
	places   int
}

// inspect walks t and its embedded structs breadth first, like
// encoding/json: a field at a shallower depth hides one of the same API
// name deeper down; two at the same depth are an error.
func (b *typeBuilder) inspect(t reflect.Type) (*typeInfo, error) {
	b.building[t] = true
	defer delete(b.building, t)

	table, err := translationOf(t)
	if err != nil {
		return nil, err
	}
	info := &typeInfo{typ: t, byName: map[string]*fieldInfo{}, interns: &sync.Pool{}}
	type level struct {
		typ   reflect.Type
		index []int
	}
	current := []level{{typ: t}}
	visited := map[reflect.Type]bool{}
	var cands []candidate
	for depth := 0; len(current) > 0; depth++ {
		var next []level
		for _, lv := range current {
			if visited[lv.typ] {
				continue
			}
			visited[lv.typ] = true
			for i := range lv.typ.NumField() {
				sf := lv.typ.Field(i)
				index := append(append([]int(nil), lv.index...), i)
				tag := sf.Tag.Get(tagName)
				if tag == "-" {
					continue
				}
				ti, err := parseTag(tag)
				if err != nil {
					return nil, fmt.Errorf("field %s: %w", sf.Name, err)
				}
				if sf.Anonymous && ti.name == "" {
					ft := sf.Type
					if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
						if !sf.IsExported() {
							continue
						}
						return nil, fmt.Errorf("embedded field %s is a pointer; embed %s by value", sf.Name, ft.Elem())
					}
					if ft.Kind() == reflect.Struct {
						if ft == modelType {
							if info.modelIndex == nil {
								info.modelIndex = index
							}
							if ti.module != "" && info.module == "" {
								info.module = ti.module
							}
						}
						next = append(next, level{typ: ft, index: index})
						continue
					}
				}
				if !sf.IsExported() {
					continue
				}
				if ti.module != "" {
					return nil, fmt.Errorf("field %s: the module= tag option belongs on the embedded zohohub.Model", sf.Name)
				}
				name := ti.name
				if name == "" {
					if tr, ok := table[sf.Name]; ok {
						name = tr
					} else {
						name = DefaultAPIName(sf.Name)
					}
				}
				if !validAPIName(name) {
					return nil, fmt.Errorf("field %s: %q is not a Zoho API name", sf.Name, name)
				}
				cands = append(cands, candidate{sf: sf, index: index, depth: depth, apiName: name, readonly: ti.readonly, places: ti.places})
			}
		}
		current = next
	}
	for goName := range table {
		found := false
		for _, c := range cands {
			if c.sf.Name == goName {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("ZohoTranslation names field %s, which %s does not have", goName, t)
		}
	}
	// Resolve clashes by API name: the shallowest wins; a tie is an error.
	byName := map[string]int{} // API name → index into winners
	var winners []candidate
	for _, c := range cands {
		j, seen := byName[c.apiName]
		if !seen {
			byName[c.apiName] = len(winners)
			winners = append(winners, c)
			continue
		}
		w := winners[j]
		switch {
		case c.depth == w.depth:
			return nil, fmt.Errorf("fields %s and %s both map to API name %q", w.sf.Name, c.sf.Name, c.apiName)
		case c.depth < w.depth: // cannot happen breadth first, kept for safety
			winners[j] = c
		}
	}
	// Declaration order, embedded fields where they are embedded.
	slices.SortStableFunc(winners, func(a, b candidate) int { return slices.Compare(a.index, b.index) })
	for _, c := range winners {
		opts := fieldOptions{places: c.places}
		cd, err := b.codecFor(c.sf.Type, &opts)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", c.sf.Name, err)
		}
		if opts.places >= 0 && !opts.placesUsed {
			return nil, fmt.Errorf("field %s: decimals= applies to float and zohohub.Decimal fields, not %s", c.sf.Name, c.sf.Type)
		}
		f := &fieldInfo{
			pos:      len(info.fields),
			goName:   c.sf.Name,
			apiName:  c.apiName,
			key:      append(appendQuoted(nil, c.apiName), ':'),
			index:    c.index,
			typ:      c.sf.Type,
			readonly: c.readonly,
			codec:    cd,
			offset:   fieldOffset(t, c.index),
			fast:     fastCodecOf(cd, c.sf.Type),
		}
		info.fields = append(info.fields, f)
		info.byName[f.apiName] = f
		info.rawJSON = info.rawJSON || holdsRawMessage(f.typ, map[reflect.Type]bool{})
		switch {
		case f.apiName == "id":
			info.idField = f
		case strings.HasPrefix(f.apiName, "$"):
			// $se_module and the like are record properties, not fields:
			// Zoho returns them with the record without being asked.
		default:
			info.listNames = append(info.listNames, f.apiName)
		}
	}
	if len(info.fields) == 0 && info.modelIndex == nil {
		return nil, errors.New("no exported fields to map")
	}
	info.prepareShadow()
	return info, nil
}

// holdsRawMessage reports whether a value of type t can hold a
// json.RawMessage (in a pointer, slice, array, map or struct field).
func holdsRawMessage(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == rawMessageType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsRawMessage(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsRawMessage(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
