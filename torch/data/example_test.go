package data_test

import (
	"fmt"
	"slices"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/torch/data"
)

// greyImages is a stand-in for datasets.MNIST: n grey 28x28 images, image i
// filled with i/n, labelled i%10.
type greyImages struct{ n int }

func (g greyImages) Len() int { return g.n }

func (g greyImages) Get(i int) (*torch.Tensor, int64) {
	return torch.Full([]int64{1, 28, 28}, torch.Float(float64(i)/float64(g.n))), int64(i % 10)
}

func (g greyImages) SampleShape() []int64 { return []int64{1, 28, 28} }

// GetBatch writes the batch straight into the Loader's buffers.
func (g greyImages) GetBatch(indices []int, images []float32, labels []int64) error {
	for k, i := range indices {
		if i < 0 || i >= g.n {
			return fmt.Errorf("index %d out of range [0, %d)", i, g.n)
		}
		for j := range 28 * 28 {
			images[k*28*28+j] = float32(i) / float32(g.n)
		}
		labels[k] = int64(i % 10)
	}
	return nil
}

// The tutorial's loaders: train_loader = DataLoader(train_dataset,
// batch_size=64, shuffle=True, num_workers=4) and a test loader without
// shuffling.
func ExampleNewLoader() {
	trainDataset, testDataset := greyImages{n: 150}, greyImages{n: 25}
	trainLoader := data.NewLoader(trainDataset, data.Options{BatchSize: 64, Shuffle: true, NumWorkers: 4})
	testLoader := data.NewLoader(testDataset, data.Options{BatchSize: 10})
	fmt.Println("len(train_loader):", trainLoader.Len())
	for images, labels := range trainLoader.All() {
		fmt.Println(images.Shape(), images.DType(), labels.Shape(), labels.DType())
	}
	if err := trainLoader.Err(); err != nil {
		fmt.Println(err)
	}
	for _, labels := range testLoader.All() {
		fmt.Println(labels.Int64s())
	}
	// Output:
	// len(train_loader): 3
	// torch.Size([64, 1, 28, 28]) torch.float32 torch.Size([64]) torch.int64
	// torch.Size([64, 1, 28, 28]) torch.float32 torch.Size([64]) torch.int64
	// torch.Size([22, 1, 28, 28]) torch.float32 torch.Size([22]) torch.int64
	// [0 1 2 3 4 5 6 7 8 9]
	// [0 1 2 3 4 5 6 7 8 9]
	// [0 1 2 3 4]
}

// DropLast drops the last, smaller batch, as drop_last=True does.
func ExampleOptions_dropLast() {
	loader := data.NewLoader(greyImages{n: 150}, data.Options{BatchSize: 64, DropLast: true})
	fmt.Println(loader.Len())
	for images := range loader.All() {
		fmt.Println(images.Shape())
	}
	// Output:
	// 2
	// torch.Size([64, 1, 28, 28])
	// torch.Size([64, 1, 28, 28])
}

// The same seed gives PyTorch's shuffle. In Python,
//
//	torch.manual_seed(0)
//	loader = DataLoader(range(10), batch_size=4, shuffle=True)
//	for epoch in range(2):
//	    print([labels.tolist() for labels in loader])
//	print(torch.rand(2))
//	g = torch.Generator().manual_seed(42)
//	print([labels.tolist() for labels in DataLoader(range(10), batch_size=4, shuffle=True, generator=g)])
//
// prints the same batches, and the same torch.rand numbers after them: the
// Loader draws exactly what DataLoader draws.
func ExampleOptions_shuffle() {
	torch.ManualSeed(0)
	loader := data.NewLoader(greyImages{n: 10}, data.Options{BatchSize: 4, Shuffle: true})
	for range 2 {
		var batches [][]int64
		for _, labels := range loader.All() {
			batches = append(batches, labels.Int64s())
		}
		fmt.Println(batches)
	}
	fmt.Printf("%.4f\n", torch.Rand([]int64{2}).Float32s())

	g := torch.NewGenerator().ManualSeed(42)
	loader = data.NewLoader(greyImages{n: 10}, data.Options{BatchSize: 4, Shuffle: true, Generator: g})
	var batches [][]int64
	for _, labels := range loader.All() {
		batches = append(batches, labels.Int64s())
	}
	fmt.Println(batches)
	// Output:
	// [[6 7 1 4] [2 0 9 8] [3 5]]
	// [[2 4 7 0] [8 9 5 3] [6 1]]
	// [0.4556 0.6323]
	// [[6 5 4 0] [8 9 2 1] [3 7]]
}

// Data-parallel training: each of two processes (ranks) loads its own half
// of the dataset, shuffled the same way on both, a new order each epoch. In
// Python,
//
//	sampler = DistributedSampler(dataset, num_replicas=2, rank=rank)
//	loader = DataLoader(dataset, batch_size=3, sampler=sampler)
//	for epoch in range(2):
//	    sampler.set_epoch(epoch)
//	    print(epoch, rank, list(sampler), [labels.tolist() for _, labels in loader])
//
// prints the same indices and batches on each rank.
func ExampleDistributedSampler() {
	dataset := greyImages{n: 10}
	for epoch := range 2 {
		for rank := range 2 { // in training, each process runs only its own rank
			sampler := data.NewDistributedSampler(dataset, 2, rank)
			loader := data.NewLoader(dataset, data.Options{BatchSize: 3, Sampler: sampler})
			sampler.SetEpoch(epoch)
			var batches [][]int64
			for _, labels := range loader.All() {
				batches = append(batches, labels.Int64s())
			}
			fmt.Println(epoch, rank, slices.Collect(sampler.All()), batches)
		}
	}
	// Without shuffling, 10 samples over 3 ranks: each gets 4, the last
	// ones padded from the start.
	for rank := range 3 {
		sampler := data.NewDistributedSampler(dataset, 3, rank, data.DistributedSamplerOpts{Shuffle: new(false)})
		fmt.Println(rank, slices.Collect(sampler.All()))
	}
	// Output:
	// 0 0 [4 7 3 0 6] [[4 7 3] [0 6]]
	// 0 1 [1 5 9 8 2] [[1 5 9] [8 2]]
	// 1 0 [5 1 0 9 7] [[5 1 0] [9 7]]
	// 1 1 [6 2 8 3 4] [[6 2 8] [3 4]]
	// 0 [0 3 6 9]
	// 1 [1 4 7 0]
	// 2 [2 5 8 1]
}
