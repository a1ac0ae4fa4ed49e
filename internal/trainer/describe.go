package trainer

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Describe prints a model as PyTorch's print(model) does:
//
//	MNISTModel(
//	  (flatten): Flatten(start_dim=1, end_dim=-1)
//	  (layer1): Linear(in_features=784, out_features=128, bias=True)
//	  ...
//	)
//
// Each exported field that is a fmt.Stringer is one line, named as in the
// state_dict (lower-case first letter).
func Describe(model any) string {
	v := reflect.ValueOf(model)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fmt.Sprint(model)
	}
	var b strings.Builder
	b.WriteString(v.Type().Name() + "(\n")
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		s, ok := v.Field(i).Interface().(fmt.Stringer)
		if !ok {
			continue
		}
		r, n := utf8.DecodeRuneInString(f.Name)
		name := string(unicode.ToLower(r)) + f.Name[n:]
		if tag := f.Tag.Get("nn"); tag != "" && tag != "-" {
			name = tag
		}
		fmt.Fprintf(&b, "  (%s): %s\n", name, strings.ReplaceAll(s.String(), "\n", "\n  "))
	}
	b.WriteString(")")
	return b.String()
}
