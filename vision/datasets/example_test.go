package datasets_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/seed0eaa3131/gotorch/torch"
	"github.com/seed0eaa3131/gotorch/vision/datasets"
	"github.com/seed0eaa3131/gotorch/vision/transforms"
	"github.com/seed0eaa3131/gotorch/vision/utils"
)

// The tutorial's MNIST snippet. The data goes to a shared cache instead of
// ./data; where the MNIST mirrors cannot be reached, Download gets the
// official files through the Go module proxy.
func ExampleNewMNIST() {
	// transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
	transform := transforms.Compose(
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.1307}, []float64{0.3081}),
	)
	// train_dataset = datasets.MNIST(root='./data', train=True, download=True, transform=transform)
	trainDataset, err := datasets.NewMNIST(datasets.CacheDir(), datasets.Options{Train: true, Download: true, Transform: transform})
	if err != nil {
		fmt.Println(err)
		return
	}
	torch.ManualSeed(0) // Python draws the same index after torch.manual_seed(0)
	// sample_idx = torch.randint(0, len(train_dataset), size=(1,)).item()
	sampleIdx := torch.RandInt(0, int64(trainDataset.Len()), []int64{1}).ItemInt()
	// image, label = train_dataset[sample_idx]
	image, label := trainDataset.Get(int(sampleIdx))
	fmt.Println("样本索引:", sampleIdx)
	fmt.Printf("图像形状: %v\n", image.Shape())
	fmt.Printf("图像标签: %v\n", label)
	fmt.Println("数据集大小:", trainDataset.Len())
	fmt.Println("float32 字节数:", image.Nbytes())
	// Output:
	// 样本索引: 36044
	// 图像形状: torch.Size([1, 28, 28])
	// 图像标签: 9
	// 数据集大小: 60000
	// float32 字节数: 3136
}

// The tutorial's CIFAR-10 snippet, on the small CIFAR-10 in testdata (the
// same file formats as the official archive), and its imshow, which here
// writes a PNG file.
func ExampleNewCIFAR10() {
	transformColor := transforms.Compose(
		transforms.ToTensor(),
		transforms.Normalize([]float64{0.5, 0.5, 0.5}, []float64{0.5, 0.5, 0.5}),
	)
	trainset, err := datasets.NewCIFAR10("testdata/cifar10", datasets.Options{Train: true, Download: true, Transform: transformColor})
	if err != nil {
		fmt.Println(err)
		return
	}
	sampleImage, sampleLabel := trainset.Get(0)
	fmt.Printf("彩色图像形状: %v\n", sampleImage.Shape())
	fmt.Printf("标签: %d (%s)\n", sampleLabel, trainset.Classes()[sampleLabel])

	// imshow_color: img = img / 2 + 0.5; np.transpose(npimg, (1, 2, 0)); plt.imshow(...)
	img := sampleImage.DivScalar(torch.Int(2)).AddScalar(torch.Float(0.5))
	fmt.Println("(高度, 宽度, 通道):", img.Permute(1, 2, 0).Shape())
	path := filepath.Join(os.TempDir(), "cifar10-sample.png")
	if err := utils.SaveImage(img, path); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 彩色图像形状: torch.Size([3, 32, 32])
	// 标签: 3 (cat)
	// (高度, 宽度, 通道): torch.Size([32, 32, 3])
}
