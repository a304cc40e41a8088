// SPDX-License-Identifier: MIT
// l2s/concepts.hpp: every extension point of the library in one include (docs/concepts.md lists them).
//
//   core        Observer
//   space       SearchSpace, FiniteSpace
//   kernel      Kernel, DifferentiableKernel
//   mean        MeanFunction
//   gp          Surrogate
//   acquisition PointwiseAcquisition, ModelAcquisitionFor
//   opt         AcquisitionOptimizerFor
//   dvfs        Environment, PolicyFor, LearningPolicyFor, Evaluator, PowerPerformanceModel, IntervalLearner
//   policy      ProbabilisticPolicy, SgdStepPolicy
//   search      SearchStrategy, LevelGenerator
//   online      OnlineLearner, ResettableOnlineLearner, BudgetAccount, DecisionRefinerFor, TimePooling
#pragma once
#include <l2s/acquisition/concepts.hpp>
#include <l2s/core/concepts.hpp>
#include <l2s/dvfs/concepts.hpp>
#include <l2s/gp/concepts.hpp>
#include <l2s/kernel/concepts.hpp>
#include <l2s/mean/concepts.hpp>
#include <l2s/online/concepts.hpp>
#include <l2s/opt/concepts.hpp>
#include <l2s/policy/concepts.hpp>
#include <l2s/search/concepts.hpp>
#include <l2s/space/concepts.hpp>
