package optim

// #cgo LDFLAGS: -lm
// #include <math.h>
import "C"

// pow is the C library's pow, the function Python's float ** float calls.
// Go's math.Pow can differ from it in the last bit, which would put the
// bias corrections of Adam and its kin one rounding away from Python's.
func pow(x, y float64) float64 { return float64(C.pow(C.double(x), C.double(y))) }
