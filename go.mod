module github.com/seed0eaa3131/gotorch

go 1.26.8
