// tests/mean/test_means.cpp: prior mean functions.
#include <type_traits>

#include <doctest/doctest.h>

#include <l2s/mean.hpp>

using namespace l2s;

TEST_CASE("mean functions: values and batched forms") {
    const mat X{{0.0, 1.0, 2.0}, {1.0, 1.0, 1.0}};
    CHECK(mean_values(mean::zero{}, X) == vec::Zero(3));
    CHECK(mean_values(mean::constant{2.5}, X) == vec::Constant(3, 2.5));
    mean::data_mean dm;
    CHECK(dm(vec::Zero(2)) == 0.0);
    dm.update(vec{{1.0, 2.0, 6.0}});
    CHECK(dm(vec::Zero(2)) == 3.0);
    dm.update(vec());
    CHECK(dm.value == 0.0);
    const mean::model_prior mp{[](const vec& x) { return x(0) * x(0) + x(1); }};
    static_assert(MeanFunction<std::remove_const_t<decltype(mp)>>);
    const vec v = mean_values(mp, X);
    CHECK(v == vec{{1.0, 2.0, 5.0}});
    static_assert(!MeanFunction<int>);
}
