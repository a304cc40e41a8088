// examples/08_ask_tell_external_loop.cpp: batches of points evaluated "elsewhere", with the optimizer's state
// saved to JSON between rounds and reloaded (as a job scheduler or a restarted process would).
#include <iostream>
#include <string>

#include <l2s/bo.hpp>
#include <l2s/io/bo.hpp>
#include <l2s/problems.hpp>

int main() {
    using namespace l2s;
    const problems::branin f;
    std::string saved;  // stands for a file or a database row between rounds
    {
        auto optimizer = bo::make_default_optimizer(problems::branin::domain());
        saved = io::save_bo(optimizer);
    }
    rng_type rng(7);
    for (int round = 0; round < 8; ++round) {
        auto optimizer = bo::make_default_optimizer(problems::branin::domain());
        io::load_bo(optimizer, saved);                 // resume
        const mat batch = optimizer.ask_batch(4, rng);  // 4 points for 4 workers (kriging believer)
        vec values(batch.cols());
        for (Eigen::Index j = 0; j < batch.cols(); ++j) values(j) = f(batch.col(j));  // "external" evaluations
        optimizer.tell(batch, values);
        saved = io::save_bo(optimizer);
        std::cout << "round " << round << ": " << optimizer.size() << " evaluations, best " << optimizer.best_value() << '\n';
    }
    auto optimizer = bo::make_default_optimizer(problems::branin::domain());
    io::load_bo(optimizer, saved);
    std::cout << "regret " << optimizer.best_value() - problems::branin::optimum_value << '\n';
    return optimizer.size() == 32 ? 0 : 1;
}
