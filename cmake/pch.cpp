// SPDX-License-Identifier: BSD-3-Clause
// Anchor translation unit for the shared precompiled LibTorch header (see InfozooHelpers.cmake).
