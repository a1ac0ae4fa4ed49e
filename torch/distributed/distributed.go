// Package distributed is torch.distributed on libtorch's own c10d: process
// groups (Gloo on the CPU), the collectives, and DistributedDataParallel.
//
// A data-parallel program runs as several processes, one per rank, started
// by a launcher that sets PyTorch's environment (MASTER_ADDR, MASTER_PORT,
// RANK, WORLD_SIZE, LOCAL_RANK): cmd/torchrun does, as Python's torchrun
// does. Each process calls InitProcessGroup, wraps its model in
// NewDistributedDataParallel, reads its share of the data through a
// data.DistributedSampler, and trains as usual:
//
//	pg, err := distributed.InitProcessGroup(distributed.Options{Backend: distributed.Gloo})
//	if err != nil { ... }
//	defer distributed.DestroyProcessGroup()
//	ddp, err := distributed.NewDistributedDataParallel(model)
//	...
//	loss := lossFn(ddp.Forward(x), y)
//	loss.Backward() // the gradients are averaged over the ranks here
//	opt.Step()
//
// Calls that talk to other processes return an error: a peer that died
// fails them at once, one that hangs after the group's Timeout. The
// collectives work in place on the tensors given, as PyTorch's do; each has
// an Async variant returning a Work to wait on (PyTorch's async_op=True).
//
// Backends: Gloo, on CPU tensors, wherever libcgotorch was built with the
// Gloo headers (scripts/install_libtorch.sh installs Debian's libgloo-dev).
// NCCL is not built into libcgotorch yet: asking for it is an error that
// says so.
package distributed

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seed0eaa3131/gotorch/torch/internal/bridge"
	"github.com/seed0eaa3131/gotorch/torch/internal/capi"
)

// Backend names a c10d backend: torch.distributed.Backend.
type Backend string

const (
	Gloo Backend = "gloo" // CPU tensors
	NCCL Backend = "nccl" // CUDA tensors (not built into libcgotorch yet)
)

// IsAvailable reports whether this build can make process groups of the
// backend: torch.distributed.is_gloo_available / is_nccl_available.
func IsAvailable(b Backend) bool {
	switch b {
	case Gloo:
		return capi.DistBackendAvailable(capi.DistGloo)
	case NCCL:
		return capi.DistBackendAvailable(capi.DistNCCL)
	}
	return false
}

// ReduceOp is how a reduction combines the ranks' values:
// torch.distributed.ReduceOp.
type ReduceOp int

const (
	Sum     ReduceOp = ReduceOp(capi.ReduceSum)  // ReduceOp.SUM
	Avg     ReduceOp = ReduceOp(capi.ReduceAvg)  // ReduceOp.AVG (Gloo: the sum divided by the size)
	Product ReduceOp = ReduceOp(capi.ReduceProd) // ReduceOp.PRODUCT
	Min     ReduceOp = ReduceOp(capi.ReduceMin)  // ReduceOp.MIN
	Max     ReduceOp = ReduceOp(capi.ReduceMax)  // ReduceOp.MAX
)

func (op ReduceOp) String() string {
	switch op {
	case Sum:
		return "SUM"
	case Avg:
		return "AVG"
	case Product:
		return "PRODUCT"
	case Min:
		return "MIN"
	case Max:
		return "MAX"
	}
	return fmt.Sprintf("ReduceOp(%d)", int(op))
}

// DefaultTimeout is PyTorch's default_pg_timeout: 30 minutes.
const DefaultTimeout = 30 * time.Minute

// Options are init_process_group's arguments.
type Options struct {
	// Backend is the c10d backend; empty means Gloo.
	Backend Backend
	// InitMethod is where the ranks meet: "env://" (the default: MASTER_ADDR
	// and MASTER_PORT, a TCPStore served by rank 0), "tcp://HOST:PORT" (the
	// same, given here) or "file:///PATH" (a FileStore on a file all ranks
	// can reach).
	InitMethod string
	// Rank and WorldSize are this process's rank and the number of
	// processes. WorldSize 0 reads both from RANK and WORLD_SIZE, as
	// PyTorch's rank=-1, world_size=-1 do.
	Rank, WorldSize int
	// Timeout bounds the rendezvous and every collective: a peer that hangs
	// fails them after it. Zero means DefaultTimeout.
	Timeout time.Duration
}

// ProcessGroup is a group of processes that run collectives together:
// torch.distributed.ProcessGroup. Its methods may be called from any
// goroutine; like PyTorch's, the collectives must be called in the same
// order on every rank.
type ProcessGroup struct {
	mu      sync.Mutex
	h       capi.ProcessGroup
	store   capi.Store
	rank    int
	size    int
	backend Backend
	timeout time.Duration
}

var (
	defaultMu    sync.Mutex
	defaultGroup *ProcessGroup
)

// InitProcessGroup joins this process to a new process group and makes it
// the default one that the package-level collectives use:
// torch.distributed.init_process_group. It returns once every rank has
// joined, or with an error after the timeout.
func InitProcessGroup(opts Options) (*ProcessGroup, error) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultGroup != nil {
		return nil, errors.New("distributed.InitProcessGroup: the default process group is already initialized (call DestroyProcessGroup first)")
	}
	pg, err := NewGroup(opts)
	if err != nil {
		return nil, err
	}
	defaultGroup = pg
	return pg, nil
}

// NewGroup makes a process group without making it the default.
func NewGroup(opts Options) (*ProcessGroup, error) {
	fail := func(format string, a ...any) (*ProcessGroup, error) {
		return nil, fmt.Errorf("distributed.InitProcessGroup: "+format, a...)
	}
	backend := opts.Backend
	if backend == "" {
		backend = Gloo
	}
	var code int
	switch backend {
	case Gloo:
		code = capi.DistGloo
	case NCCL:
		code = capi.DistNCCL
	default:
		return fail("unknown backend %q (want %q or %q)", backend, Gloo, NCCL)
	}
	if !IsAvailable(backend) {
		return fail("backend %q is not available in this libcgotorch (Gloo needs its headers when the shim is built: Debian's libgloo-dev, then scripts/install_libtorch.sh; NCCL is not built in yet)", backend)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if timeout < 0 {
		return fail("timeout %v is negative", timeout)
	}
	rank, size := opts.Rank, opts.WorldSize
	if size == 0 {
		var err error
		if rank, err = envInt("RANK"); err != nil {
			return fail("%v", err)
		}
		if size, err = envInt("WORLD_SIZE"); err != nil {
			return fail("%v", err)
		}
	}
	if size < 1 || rank < 0 || rank >= size {
		return fail("rank %d is not in a world of size %d (a rank is 0 to WORLD_SIZE-1)", rank, size)
	}
	store, err := openStore(opts.InitMethod, rank, size, timeout)
	if err != nil {
		return fail("%v", err)
	}
	h, err := capi.PGNew(store, code, rank, size, timeout.Milliseconds())
	if err != nil {
		capi.StoreFree(store)
		return fail("%v", bridge.Error("init_process_group", err))
	}
	// Like PyTorch's, a group lives until Destroy (or the process's end):
	// dropping it does not close its connections.
	pg := &ProcessGroup{h: h, store: store, rank: rank, size: size, backend: backend, timeout: timeout}
	return pg, nil
}

func envInt(name string) (int, error) {
	v, ok := os.LookupEnv(name)
	if !ok {
		return 0, fmt.Errorf("environment variable %s expected, but not set (start the program with cmd/torchrun, or set Options.Rank and WorldSize)", name)
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("environment variable %s=%q is not an integer", name, v)
	}
	return n, nil
}

// openStore makes the store of an init method: rank 0 serves a TCPStore,
// the others connect to it; or a FileStore.
func openStore(method string, rank, size int, timeout time.Duration) (capi.Store, error) {
	if method == "" {
		method = "env://"
	}
	u, err := url.Parse(method)
	if err != nil {
		return nil, fmt.Errorf("init method %q: %v", method, err)
	}
	var host, port string
	switch u.Scheme {
	case "env":
		var ok bool
		if host, ok = os.LookupEnv("MASTER_ADDR"); !ok {
			return nil, errors.New("environment variable MASTER_ADDR expected, but not set (start the program with cmd/torchrun)")
		}
		if port, ok = os.LookupEnv("MASTER_PORT"); !ok {
			return nil, errors.New("environment variable MASTER_PORT expected, but not set (start the program with cmd/torchrun)")
		}
	case "tcp":
		host, port = u.Hostname(), u.Port()
		if host == "" || port == "" {
			return nil, fmt.Errorf("init method %q: want tcp://HOST:PORT", method)
		}
	case "file":
		if u.Path == "" {
			return nil, fmt.Errorf("init method %q: want file:///PATH", method)
		}
		s, err := capi.StoreFile(u.Path, size)
		if err != nil {
			return nil, fmt.Errorf("file store %s: %w", u.Path, bridge.Error("FileStore", err))
		}
		return s, nil
	default:
		return nil, fmt.Errorf("init method %q: want env://, tcp://HOST:PORT or file:///PATH", method)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 || p > 65535 {
		return nil, fmt.Errorf("master port %q is not a TCP port (1 to 65535)", port)
	}
	s, err := capi.StoreTCP(host, p, size, rank == 0, timeout.Milliseconds())
	if err != nil {
		return nil, fmt.Errorf("TCP store at %s:%d (rank %d): %w", host, p, rank, bridge.Error("TCPStore", err))
	}
	return s, nil
}

// DestroyProcessGroup leaves the default process group:
// torch.distributed.destroy_process_group().
func DestroyProcessGroup() {
	defaultMu.Lock()
	pg := defaultGroup
	defaultGroup = nil
	defaultMu.Unlock()
	pg.Destroy()
}

// Destroy releases the group. Its collectives fail afterwards.
func (pg *ProcessGroup) Destroy() {
	if pg == nil {
		return
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.h != nil {
		capi.PGFree(pg.h)
		capi.StoreFree(pg.store)
		pg.h, pg.store = nil, nil
	}
}

// IsInitialized reports whether the default group exists:
// torch.distributed.is_initialized().
func IsInitialized() bool {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	return defaultGroup != nil
}

// Default returns the default group, or an error before InitProcessGroup.
func Default() (*ProcessGroup, error) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	if defaultGroup == nil {
		return nil, errors.New("distributed: the default process group has not been initialized (call InitProcessGroup)")
	}
	return defaultGroup, nil
}

// GetRank is the default group's rank of this process, -1 before
// InitProcessGroup: torch.distributed.get_rank().
func GetRank() int {
	pg, err := Default()
	if err != nil {
		return -1
	}
	return pg.rank
}

// GetWorldSize is the default group's size, -1 before InitProcessGroup:
// torch.distributed.get_world_size().
func GetWorldSize() int {
	pg, err := Default()
	if err != nil {
		return -1
	}
	return pg.size
}

// Rank is this process's rank in the group: group.rank().
func (pg *ProcessGroup) Rank() int { return pg.rank }

// Size is the number of processes in the group: group.size().
func (pg *ProcessGroup) Size() int { return pg.size }

// Backend is the group's backend.
func (pg *ProcessGroup) Backend() Backend { return pg.backend }

// Timeout is the bound on the group's collectives.
func (pg *ProcessGroup) Timeout() time.Duration { return pg.timeout }
