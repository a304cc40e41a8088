// SPDX-License-Identifier: MIT
// l2s/learn.hpp: umbrella header of l2s::learn (imitation datasets, trainers, DAgger).
#pragma once
#include <l2s/learn/cart_trainer.hpp>
#include <l2s/learn/dagger.hpp>
#include <l2s/learn/dataset.hpp>
#include <l2s/learn/evaluate.hpp>
#include <l2s/learn/imitation.hpp>
#include <l2s/learn/mlp_trainer.hpp>
#include <l2s/learn/softmax_trainer.hpp>
