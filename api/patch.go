package api

import (
	"reflect"
	"strings"
)

// optOf turns a PATCH field into the nullable value it sets (nil for null).
func optOf(o opt[string]) *string {
	if o.Null {
		return nil
	}
	return &o.V
}

// patchedFields names the JSON fields a PATCH body set (for the audit trail: which
// fields changed, without their values).
func patchedFields(patch any) []string {
	v := reflect.ValueOf(patch)
	t := v.Type()
	var names []string
	for i := 0; i < t.NumField(); i++ {
		field := v.Field(i)
		if field.Kind() != reflect.Struct {
			continue
		}
		if set := field.FieldByName("Set"); set.IsValid() && set.Bool() {
			names = append(names, strings.Split(t.Field(i).Tag.Get("json"), ",")[0])
		}
	}
	return names
}
