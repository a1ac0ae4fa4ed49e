package nn_test

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed0eaa3131/gotorch/internal/pytorch"
	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/nn"
)

// sampleTensors covers every dtype the format and torch share, and the odd
// shapes: a scalar, an empty tensor, a non-contiguous view.
func sampleTensors() map[string]*torch.Tensor {
	torch.ManualSeed(1)
	r := torch.Randn([]int64{3, 4})
	return map[string]*torch.Tensor{
		"f32":        r,
		"transposed": r.T(),
		"f64":        torch.Randn([]int64{2, 2}, torch.WithDType(torch.Float64)),
		"f16":        torch.Randn([]int64{5}).ToDType(torch.Float16),
		"bf16":       torch.Randn([]int64{2, 3}).ToDType(torch.BFloat16),
		"i64":        torch.FromSlice([]int64{-3, 1 << 40, 7}),
		"i32":        torch.FromSlice([]int32{-1, 2}),
		"i16":        torch.FromSlice([]int16{300, -300}),
		"i8":         torch.FromSlice([]int8{-128, 127}),
		"u8":         torch.FromSlice([]uint8{0, 255, 9}),
		"bool":       torch.FromSlice([]bool{true, false, true}),
		"scalar":     torch.Full(nil, torch.Float(3.25)),
		"empty":      torch.Zeros([]int64{0, 4}),
	}
}

func requireSameTensors(t *testing.T, want, got map[string]*torch.Tensor) {
	t.Helper()
	require.Len(t, got, len(want))
	for k, w := range want {
		g, ok := got[k]
		require.True(t, ok, "missing %q", k)
		assert.Equal(t, w.DType(), g.DType(), k)
		assert.Equal(t, w.Shape(), g.Shape(), k)
		assert.Equal(t, w.Bytes(), g.Bytes(), k)
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	want := sampleTensors()
	meta := map[string]string{"format": "pt", "note": "gotorch"}
	data, err := nn.MarshalSafetensors(want, meta)
	require.NoError(t, err)
	n := binary.LittleEndian.Uint64(data)
	assert.Zero(t, n%8, "the header is padded to 8 bytes so that the data is aligned")
	got, gotMeta, err := nn.UnmarshalSafetensors(data)
	require.NoError(t, err)
	requireSameTensors(t, want, got)
	assert.Equal(t, meta, gotMeta)

	path := tempPath(t, "w.safetensors")
	require.NoError(t, nn.WriteSafetensors(path, want, nil))
	got, gotMeta, err = nn.ReadSafetensors(path)
	require.NoError(t, err)
	requireSameTensors(t, want, got)
	assert.Empty(t, gotMeta)
}

// pySafetensors reads and writes the format with nothing but json, struct
// and torch.frombuffer, as its specification describes it (Debian has no
// python3-safetensors).
const pySafetensors = `
import sys, json, struct
DT = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
      "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}
NAME = {v: k for k, v in DT.items()}

def st_read(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, n
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = data[8 + n:]
    out, end = {}, 0
    for k, v in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        s, e = v["data_offsets"]
        assert s == end, (k, s, end)
        end = e
        dt = DT[v["dtype"]]
        t = torch.frombuffer(bytearray(body[s:e]), dtype=dt) if e > s else torch.empty(0, dtype=dt)
        out[k] = t.reshape(v["shape"])
    assert end == len(body)
    return out, meta

def st_write(path, tensors, meta):
    header, chunks, off = {}, [], 0
    if meta:
        header["__metadata__"] = meta
    for k in sorted(tensors):
        t = tensors[k].contiguous()
        b = t.reshape(-1).view(torch.uint8).numpy().tobytes()
        header[k] = {"dtype": NAME[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))
`

func TestSafetensorsGoToPython(t *testing.T) {
	want := sampleTensors()
	path := tempPath(t, "go.safetensors")
	require.NoError(t, nn.WriteSafetensors(path, want, map[string]string{"format": "pt"}))
	out := tempPath(t, "py.pt")
	var meta map[string]string
	pytorch.JSON(t, pySafetensors+`
tensors, meta = st_read(sys.argv[1])
torch.save(tensors, sys.argv[2])
print(json.dumps(meta))
`, &meta, path, out)
	assert.Equal(t, map[string]string{"format": "pt"}, meta)
	got := loadPT(t, out)
	requireSameTensors(t, want, got)
}

func TestSafetensorsPythonToGo(t *testing.T) {
	path, ref := tempPath(t, "py.safetensors"), tempPath(t, "ref.pt")
	pytorch.Run(t, pySafetensors+`
torch.manual_seed(4)
tensors = {"layer1.weight": torch.randn(8, 12), "layer1.bias": torch.randn(8), "layer2.weight": torch.randn(3, 8),
           "layer2.bias": torch.randn(3), "half": torch.randn(4).half(), "bf": torch.randn(2, 2).bfloat16(),
           "steps": torch.tensor(7), "mask": torch.tensor([True, False])}
st_write(sys.argv[1], tensors, {"format": "pt", "origin": "python"})
torch.save(tensors, sys.argv[2])
`, path, ref)
	got, meta, err := nn.ReadSafetensors(path)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"format": "pt", "origin": "python"}, meta)
	requireSameTensors(t, loadPT(t, ref), got)
}

func TestSaveLoadSafetensorsModel(t *testing.T) {
	src, dst := newMLP(), newMLP()
	path := tempPath(t, "model.safetensors")
	require.NoError(t, nn.SaveSafetensors(src, path))
	params := nn.Parameters(dst)
	require.NoError(t, nn.LoadSafetensors(dst, path, true))
	for i, p := range nn.Parameters(dst) {
		assert.Same(t, params[i], p)
		assert.Equal(t, nn.Parameters(src)[i].Float32s(), p.Float32s())
	}
	_, meta, err := nn.ReadSafetensors(path)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"format": "pt"}, meta)

	other := &struct{ Layer1 *nn.Linear }{nn.NewLinear(12, 8)}
	require.NoError(t, nn.LoadSafetensors(other, path, false), "not strict: layer2 is ignored")
	err = nn.LoadSafetensors(other, path, true)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "Unexpected key(s)")
}

func TestSafetensorsErrors(t *testing.T) {
	good, err := nn.MarshalSafetensors(map[string]*torch.Tensor{"a": torch.Ones([]int64{2})}, nil)
	require.NoError(t, err)
	header := func(h string) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(b, h...)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "header too small"},
		{"truncated data", good[:len(good)-1], "metadata incomplete buffer"},
		{"header longer than the file", header("{}")[:9], "invalid header length"},
		{"not JSON", header("{nope"), "invalid header deserialization"},
		{"unknown dtype", append(header(`{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}`), 0), "F8"},
		{"size and offsets disagree", append(header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`), 0, 0, 0, 0), "offsets mismatch"},
		{"unsigned dtype torch lacks", append(header(`{"a":{"dtype":"U16","shape":[1],"data_offsets":[0,2]}}`), 0, 0), `"a" has dtype U16`},
		{"huge dimension with no elements", header(`{"a":{"dtype":"F32","shape":[0,18446744073709551615],"data_offsets":[0,0]}}`), "below 2^63"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := nn.UnmarshalSafetensors(tc.data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	path := tempPath(t, "bad.safetensors")
	require.NoError(t, os.WriteFile(path, good[:len(good)-1], 0o644))
	_, _, err = nn.ReadSafetensors(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), path)

	pt := tempPath(t, "model.pt")
	require.NoError(t, nn.Save(newMLP(), pt))
	_, _, err = nn.ReadSafetensors(pt)
	require.ErrorContains(t, err, "zip archive")

	_, err = nn.MarshalSafetensors(map[string]*torch.Tensor{"__metadata__": torch.Ones([]int64{1})}, nil)
	require.ErrorContains(t, err, "reserved")
	_, err = nn.MarshalSafetensors(map[string]*torch.Tensor{"x": nil}, nil)
	require.ErrorContains(t, err, `"x" is nil`)
}

// FuzzSafetensors feeds the reader arbitrary bytes: it must return tensors
// or an error, never panic, and what it accepts must survive a round trip.
// Seeds: f.Add below and testdata/fuzz/FuzzSafetensors.
func FuzzSafetensors(f *testing.F) {
	good, err := nn.MarshalSafetensors(sampleTensors(), map[string]string{"format": "pt"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte{})
	f.Add(good[:20])
	f.Fuzz(func(t *testing.T, data []byte) {
		tensors, meta, err := nn.UnmarshalSafetensors(data)
		if err != nil {
			return
		}
		again, err := nn.MarshalSafetensors(tensors, meta)
		require.NoError(t, err)
		back, backMeta, err := nn.UnmarshalSafetensors(again)
		require.NoError(t, err)
		requireSameTensors(t, tensors, back)
		assert.Equal(t, len(meta), len(backMeta))
	})
}
