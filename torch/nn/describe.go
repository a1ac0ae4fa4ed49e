package nn

import (
	"fmt"
	"reflect"
	"strings"
)

// Describe prints a model as PyTorch's print(model) does:
//
//	MNISTModel(
//	  (flatten): Flatten(start_dim=1, end_dim=-1)
//	  (layer1): Linear(in_features=784, out_features=128, bias=True)
//	  (relu): ReLU()
//	  (layer2): Linear(in_features=128, out_features=10, bias=True)
//	)
//
// Each exported field that prints itself (a fmt.Stringer, as every layer
// here is) is one line, named as in the state_dict; nested structs are
// described in turn, indented.
func Describe(model any) string {
	v := reflect.ValueOf(model)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return fmt.Sprint(model)
	}
	var b strings.Builder
	b.WriteString(v.Type().Name() + "(\n")
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !f.IsExported() || f.Type == tensorType {
			continue
		}
		tag, ok := parseTag(f)
		name := tag.name
		if !ok || name == "" {
			continue
		}
		fv := v.Field(i)
		var s string
		if st, ok := fv.Interface().(fmt.Stringer); ok && !(fv.Kind() == reflect.Pointer && fv.IsNil()) {
			s = st.String()
		} else if inner := fv; inner.Kind() == reflect.Pointer && !inner.IsNil() && inner.Elem().Kind() == reflect.Struct {
			s = Describe(inner.Interface())
		} else {
			continue
		}
		fmt.Fprintf(&b, "  (%s): %s\n", name, strings.ReplaceAll(s, "\n", "\n  "))
	}
	b.WriteString(")")
	return b.String()
}
