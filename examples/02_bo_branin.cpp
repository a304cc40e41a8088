// examples/02_bo_branin.cpp: ask/tell Bayesian optimisation of the Branin function with the default optimizer.
#include <iostream>

#include <l2s/bo.hpp>
#include <l2s/problems.hpp>

int main() {
    using namespace l2s;
    const problems::branin branin;
    // Matérn-5/2 GP, log-EI, multistart L-BFGS on the box, 10 Sobol points, relearning every 5 evaluations.
    auto optimizer = bo::make_default_optimizer(problems::branin::domain());
    rng_type rng(42);  // every random choice uses this engine
    for (int i = 0; i < 30; ++i) {
        const vec x = optimizer.ask(rng);  // the next point to evaluate
        const double y = branin(x);        // evaluate it (here: a closed form)
        optimizer.tell(x, y);              // report the value
    }
    const double regret = optimizer.best_value() - problems::branin::optimum_value;
    std::cout << "best x = (" << optimizer.best_x()(0) << ", " << optimizer.best_x()(1) << ")\n"
              << "best f = " << optimizer.best_value() << "  (optimum " << problems::branin::optimum_value
              << ", regret " << regret << ")\n";
    return regret < 0.05 ? 0 : 1;
}
