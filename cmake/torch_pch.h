// SPDX-License-Identifier: BSD-3-Clause
// The LibTorch headers every infozoo target uses, precompiled once (InfozooHelpers.cmake).
#pragma once
#include <ATen/ATen.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>
