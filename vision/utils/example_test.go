package utils_test

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/utils"
)

// A batch of 64 MNIST-sized images laid out 8 a row, as make_grid does.
func ExampleMakeGrid() {
	batch := torch.Rand([]int64{64, 1, 28, 28})
	grid := utils.MakeGrid(batch, 8, 2)
	fmt.Println(grid.Shape()) // grey images become three channels, as in torchvision
	// Output: torch.Size([3, 242, 242])
}

// The tutorial's imshow for a normalised CIFAR-10 image, as a file.
func ExampleSaveImage() {
	normalized := torch.Zeros([]int64{3, 32, 32}) // a mid-grey image after Normalize(0.5, 0.5)
	img := utils.Unnormalize(normalized, []float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5})
	path := filepath.Join(os.TempDir(), "gotorch-example.png")
	if err := utils.SaveImage(img, path); err != nil {
		fmt.Println(err)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	decoded, err := png.Decode(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, g, b, _ := decoded.At(5, 5).RGBA()
	fmt.Println(decoded.Bounds().Size(), r>>8, g>>8, b>>8)
	// Output: (32,32) 128 128 128
}
