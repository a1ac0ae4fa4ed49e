package transforms_test

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"

	"github.com/seed0eaa3131/gotorch/vision/transforms"
)

// The tutorial's MNIST transform, applied to one Go image.
func ExampleCompose() {
	// transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
	transform := transforms.Compose(
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.1307}, []float64{0.3081}),
	)
	digit := image.NewGray(image.Rect(0, 0, 28, 28))
	digit.SetGray(0, 0, color.Gray{Y: 255})

	x := transform.Apply(transforms.FromImage(digit)).Tensor()
	v := x.Float32s()
	fmt.Println(x.Shape())
	fmt.Printf("%.4f %.4f\n", v[0], v[1]) // (1-0.1307)/0.3081, (0-0.1307)/0.3081
	// Output:
	// torch.Size([1, 28, 28])
	// 2.8215 -0.4242
}

// CIFAR-10's usual augmentation; the generators are seeded for
// reproducible runs.
func ExampleRandomCrop() {
	r := rand.New(rand.NewPCG(1, 2))
	augment := transforms.Compose(
		transforms.RandomCrop(32, 4, r),
		transforms.RandomHorizontalFlip(0.5, r),
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}),
	)
	img := transforms.NewByteImage(3, 32, 32)
	fmt.Println(augment.Apply(img))
	// Output: float32 image (3, 32, 32)
}
