#include "environments/lqr.hpp"

#include <string>

#include "core/error.hpp"

namespace tandem::environments {

LqrSolution solve_discrete_lqr(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                               const Eigen::MatrixXd& q, const Eigen::MatrixXd& r,
                               int max_iterations, double tolerance) {
  const Eigen::Index n = a.rows();
  const Eigen::Index m = b.cols();
  if (a.cols() != n || b.rows() != n || q.rows() != n || q.cols() != n || r.rows() != m ||
      r.cols() != m) {
    throw InputError("lqr: shapes disagree (A " + std::to_string(a.rows()) + "x" +
                     std::to_string(a.cols()) + ", B " + std::to_string(b.rows()) + "x" +
                     std::to_string(b.cols()) + ")");
  }
  Eigen::MatrixXd p = q;
  for (int iteration = 1; iteration <= max_iterations; ++iteration) {
    const Eigen::MatrixXd bt_p = b.transpose() * p;
    const Eigen::MatrixXd gain = (r + bt_p * b).ldlt().solve(bt_p * a);
    Eigen::MatrixXd next = q + a.transpose() * p * a - a.transpose() * p * b * gain;
    next = 0.5 * (next + next.transpose());  // keep P symmetric against round-off drift
    if (!next.allFinite()) throw RunError("lqr: the Riccati iteration diverged");
    const double change = (next - p).norm();
    p = std::move(next);
    if (change <= tolerance * std::max(1.0, p.norm())) {
      const Eigen::MatrixXd bt_p_final = b.transpose() * p;
      return LqrSolution{(r + bt_p_final * b).ldlt().solve(bt_p_final * a), p, iteration};
    }
  }
  throw RunError("lqr: the Riccati iteration did not converge in " +
                 std::to_string(max_iterations) + " iterations");
}

}  // namespace tandem::environments
