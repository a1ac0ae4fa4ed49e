"""The Python side of scripts/bench_jit.sh: makes the TorchScript models it
times, and times them in Python as cmd/jitserve --bench does in Go.

    bench_jit.py make OUT_DIR
        OUT_DIR/mnist_cnn.pt: pytorch/examples' MNIST Net (mnist_cnn.py),
        torch.jit.script, random weights (seed 0), input 1x28x28.
        OUT_DIR/resnet18.pt: torchvision's resnet18, random weights (seed 0),
        torch.jit.trace in eval mode at 1x3x224x224, input 3x224x224.
        OUT_DIR/tiny.pt: nn.Linear(4, 2), scripted (seed 0), input 4: so
        little arithmetic that its latency is the cost of a call itself.

    bench_jit.py bench MODEL --shape 1,28,28 [--batch-sizes 1,32] [-n 100]
                 [--threads T] [--device cpu]
        torch.jit.load, eval(), no_grad; per batch size, one standard normal
        batch, 20 warm-up calls, then N timed calls (each dropping its result
        inside the timing), printing the lines jitserve --bench prints:

        # torch bench: ...
        bench batch=32 n=100 median_ms=12.3456 p90_ms=13.4567 mean_ms=12.5000 inputs_per_s=2560.0

        median and nearest-rank 90th percentile (the ceil(0.9 n)-th fastest)
        of the latencies, their mean, and batch*N over their sum.
"""
import argparse
import math
import os
import sys
import time

import torch

WARMUP = 20  # as cmd/jitserve


def make(out_dir):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from mnist_cnn import Net
    import torchvision

    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    net = Net().eval()
    path = os.path.join(out_dir, 'mnist_cnn.pt')
    torch.jit.script(net).save(path)
    print('{}: MNIST Net, scripted, input 1,28,28'.format(path))

    torch.manual_seed(0)
    resnet = torchvision.models.resnet18().eval()
    with torch.no_grad():
        traced = torch.jit.trace(resnet, torch.randn(1, 3, 224, 224))
    path = os.path.join(out_dir, 'resnet18.pt')
    traced.save(path)
    print('{}: torchvision resnet18, traced, input 3,224,224'.format(path))

    torch.manual_seed(0)
    path = os.path.join(out_dir, 'tiny.pt')
    torch.jit.script(torch.nn.Linear(4, 2).eval()).save(path)
    print('{}: nn.Linear(4, 2), scripted, input 4'.format(path))


def summarize(ms):
    ms = sorted(ms)
    n = len(ms)
    median = ms[n // 2] if n % 2 else (ms[n // 2 - 1] + ms[n // 2]) / 2
    rank = math.ceil(0.9 * n)
    return median, ms[max(rank, 1) - 1], sum(ms) / n


def bench(args):
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    shape = [int(d) for d in args.shape.split(',')]
    sizes = [int(b) for b in args.batch_sizes.split(',')]
    device = torch.device(args.device)
    model = torch.jit.load(args.model, map_location=device)
    model.eval()
    print('# torch bench: {}, input [{}], device {}, {} threads, torch {}, {} warm-up calls'.format(
        args.model, ','.join(map(str, shape)), device, torch.get_num_threads(), torch.__version__, WARMUP))
    torch.manual_seed(0)
    cuda = device.type == 'cuda'
    with torch.no_grad():
        for b in sizes:
            x = torch.randn([b] + shape, device=device)
            times = []
            for i in range(WARMUP + args.n):
                start = time.perf_counter()
                model(x)  # the result is dropped here, inside the timing
                if cuda:
                    torch.cuda.synchronize(device)
                if i >= WARMUP:
                    times.append((time.perf_counter() - start) * 1000)
            median, p90, mean = summarize(times)
            print('bench batch={} n={} median_ms={:.4f} p90_ms={:.4f} mean_ms={:.4f} inputs_per_s={:.1f}'.format(
                b, len(times), median, p90, mean, b / (mean / 1000)), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('make', help='write mnist_cnn.pt and resnet18.pt to OUT_DIR')
    m.add_argument('out_dir')
    b = sub.add_parser('bench', help='time forward calls as jitserve --bench')
    b.add_argument('model')
    b.add_argument('--shape', required=True, help='shape of one input, e.g. 1,28,28')
    b.add_argument('--batch-sizes', default='1,32')
    b.add_argument('-n', type=int, default=100, help='timed calls per batch size')
    b.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: default)')
    b.add_argument('--device', default='cpu')
    args = parser.parse_args()
    if args.cmd == 'make':
        make(args.out_dir)
    else:
        if args.n < 1:
            parser.error('-n must be at least 1')
        bench(args)


if __name__ == '__main__':
    main()
