// Package pickleguard checks a Python pickle before a decoder runs it.
//
// github.com/nlpodyssey/gopickle allocates what an opcode's length field
// declares before reading it, so a 20-byte file that declares a 4 GiB string
// makes it allocate 4 GiB. Scan walks the opcodes without running them and
// refuses any whose argument does not fit in the bytes given; a pickle that
// passes can make the decoder allocate at most about its own size per opcode.
package pickleguard

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Scan walks the opcodes of a pickle without running them, checking
// that each is known and that its argument lies within b. It stops at
// STOP. Opcode lengths are pickletools' table.
func Scan(b []byte) error {
	at, opAt := 0, 0
	need := func(n uint64) error {
		if n > uint64(len(b)-at) {
			return fmt.Errorf("truncated: the opcode 0x%02x at offset %d needs %d more bytes, %d remain", b[opAt], opAt, n, len(b)-at)
		}
		at += int(n)
		return nil
	}
	line := func() error {
		i := bytes.IndexByte(b[at:], '\n')
		if i < 0 {
			return fmt.Errorf("truncated: the opcode 0x%02x at offset %d has no end of line", b[opAt], opAt)
		}
		at += i + 1
		return nil
	}
	for at < len(b) {
		op := b[at]
		opAt = at
		at++
		var err error
		switch op {
		case '.': // STOP
			return nil
		case '(', '0', '1', '2', 'N', 'R', 'a', 'b', 'd', '}', 'e', 'l', ']', 'o', 's', 't', ')', 'u', 'Q', 0x81,
			0x85, 0x86, 0x87, 0x88, 0x89, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x97, 0x98:
		case 'F', 'I', 'L', 'S', 'V', 'P', 'g', 'p':
			err = line()
		case 'c', 'i':
			if err = line(); err == nil {
				err = line()
			}
		case 'K', 'h', 'q', 0x80, 0x82:
			err = need(1)
		case 'M', 0x83:
			err = need(2)
		case 'J', 'j', 'r', 0x84:
			err = need(4)
		case 'G':
			err = need(8)
		case 0x95: // FRAME: its length, then the opcodes inside it as usual
			if err = need(8); err == nil {
				if n := binary.LittleEndian.Uint64(b[at-8:]); n > uint64(len(b)-at) {
					return fmt.Errorf("truncated: the frame at offset %d holds %d bytes, %d remain", opAt, n, len(b)-at)
				}
			}
		case 'U', 'C', 0x8a, 0x8c:
			if err = need(1); err == nil {
				err = need(uint64(b[at-1]))
			}
		case 'T', 'B', 'X', 0x8b:
			if err = need(4); err == nil {
				n := binary.LittleEndian.Uint32(b[at-4:])
				if (op == 'T' || op == 0x8b) && int32(n) < 0 {
					return fmt.Errorf("opcode 0x%02x at offset %d has a negative length", op, opAt)
				}
				err = need(uint64(n))
			}
		case 0x8d, 0x8e, 0x96:
			if err = need(8); err == nil {
				err = need(binary.LittleEndian.Uint64(b[at-8:]))
			}
		default:
			return fmt.Errorf("unknown opcode 0x%02x at offset %d", op, at-1)
		}
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("truncated: no STOP opcode in %d bytes", len(b))
}
