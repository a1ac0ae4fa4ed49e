package datasets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// httpClient gives up quickly on hosts that cannot be reached (a closed
// network, a dead mirror) but lets a slow transfer run: the timeouts are on
// connecting and on the first byte of the answer, not on the whole body.
var httpClient = &http.Client{Transport: &http.Transport{
	Proxy:                 http.ProxyFromEnvironment,
	DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
	TLSHandshakeTimeout:   10 * time.Second,
	ResponseHeaderTimeout: 30 * time.Second,
}}

// md5Error is a checksum mismatch; it names what was read.
type md5Error struct {
	what, want, got string
}

func (e *md5Error) Error() string {
	return fmt.Sprintf("%s: md5 %s, want %s (corrupt or not the expected file)", e.what, e.got, e.want)
}

// fetch downloads url into dst (torchvision's download_url), checking the
// md5 of what arrived. It writes a temporary file beside dst and renames it
// only when the checksum matches, so that an interrupted or concurrent
// download never leaves a partial file under the final name.
func fetch(url, dst, wantMD5 string) error {
	resp, err := httpClient.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %s", url, resp.Status)
	}
	return writeChecked(resp.Body, url, dst, wantMD5)
}

// writeChecked copies r into dst through a temporary file, checking the md5
// (when wantMD5 is not empty) before the rename.
func writeChecked(r io.Reader, what, dst, wantMD5 string) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := md5.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), r); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; a dataset cache is not.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); wantMD5 != "" && got != wantMD5 {
		return &md5Error{what: what, want: wantMD5, got: got}
	}
	return os.Rename(tmp.Name(), dst)
}

// copyChecked copies the file src to dst, checking its md5.
func copyChecked(src, dst, wantMD5 string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeChecked(f, src, dst, wantMD5)
}

// fileMD5 is torchvision's calculate_md5.
func fileMD5(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkMD5 returns nil when path exists with the given md5, an *md5Error
// when it exists with another, and the fs error otherwise.
func checkMD5(path, want string) error {
	got, err := fileMD5(path)
	if err != nil {
		return err
	}
	if got != want {
		return &md5Error{what: path, want: want, got: got}
	}
	return nil
}

// maxUncompressed bounds what a .gz may expand to: the largest file read
// here (MNIST's training images) is 47 MB, and a corrupt or hostile archive
// must not fill memory or disk.
const maxUncompressed = 1 << 30

// gunzipFile writes the decompressed content of src (an IDX file) to dst,
// as torchvision's _decompress does for MNIST's .gz files; see idxReader
// for how much it inflates at most.
func gunzipFile(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	r, _, err := idxReader(src, f)
	if err != nil {
		return err
	}
	return writeChecked(r, src, dst, "")
}

// readGzip reads a gzip-compressed IDX file into memory, in one allocation
// of the size its header declares (see idxReader).
func readGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, size, err := idxReader(path, f)
	if err != nil {
		return nil, err
	}
	b := make([]byte, size)
	n, err := io.ReadFull(r, b)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b[:n], nil
}

// idxReader reads the IDX header at the start of the gzip stream in f and
// returns a reader of the whole decompressed file that ends one byte past
// what the header declares (so that parseIDX can tell a file that is too
// long), and that many bytes. A gzip bomb thus stops after the size its
// header gives, and a header that declares more than maxUncompressed is
// refused before anything is inflated. A stream that does not start with
// an IDX header is passed on with the 4 bytes read, for parseIDX to report.
func idxReader(path string, f io.Reader) (io.Reader, int, error) {
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: not a gzip file: %w", path, err)
	}
	head := make([]byte, 4, 4+4*255)
	if n, err := io.ReadFull(zr, head); err != nil {
		return bytes.NewReader(head[:n]), n, gzipError(path, err)
	}
	if head[0] != 0 || head[1] != 0 {
		return bytes.NewReader(head), len(head), nil
	}
	head = head[:4+4*int(head[3])]
	if n, err := io.ReadFull(zr, head[4:]); err != nil {
		return bytes.NewReader(head[:4+n]), 4 + n, gzipError(path, err)
	}
	size := uint64(1)
	for i := 4; i < len(head); i += 4 {
		hi, lo := bits.Mul64(size, uint64(binary.BigEndian.Uint32(head[i:])))
		if hi != 0 || lo > maxUncompressed {
			return nil, 0, fmt.Errorf("%s: its IDX header declares dimensions %v, more than the %d bytes a file read here may expand to",
				path, head[4:], int64(maxUncompressed))
		}
		size = lo
	}
	n := len(head) + int(size) + 1
	return io.MultiReader(bytes.NewReader(head), io.LimitReader(zr, int64(size)+1)), n, nil
}

// gzipError is a failed read of a .gz: nil at its end (the content is then
// short, which parseIDX reports), the error otherwise.
func gzipError(path string, err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil
	}
	return fmt.Errorf("%s: %w", path, err)
}

// extractTarGz unpacks a .tar.gz into dir, as torchvision's
// extract_archive, refusing entries that would land outside dir (absolute
// paths, "..", links) and anything but plain files and directories.
func extractTarGz(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: not a gzip file: %w", archive, err)
	}
	tr := tar.NewReader(zr)
	var total int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", archive, err)
		}
		name := filepath.FromSlash(hdr.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("%s: entry %q would be written outside %s", archive, hdr.Name, dir)
		}
		target := filepath.Join(dir, name)
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			total += hdr.Size
			if hdr.Size < 0 || total > maxUncompressed {
				return fmt.Errorf("%s: entries add up to more than %d bytes", archive, int64(maxUncompressed))
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := writeChecked(tr, archive+": "+hdr.Name, target, ""); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: entry %q is a %c entry; only files and directories are extracted", archive, hdr.Name, hdr.Typeflag)
		}
	}
}

// exists reports whether path names an existing file or directory.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// notFound reports whether err says a file is missing.
func notFound(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// logf writes one progress line to Log.
func logf(format string, args ...any) {
	if Log != nil {
		fmt.Fprintf(Log, strings.TrimRight(format, "\n")+"\n", args...)
	}
}
