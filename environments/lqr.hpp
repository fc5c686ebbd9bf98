// Discrete-time linear-quadratic regulator: the gain K of u = -K x that minimises
// sum x'Qx + u'Ru for x_{k+1} = A x_k + B u_k, from the discrete algebraic Riccati equation
//   P = Q + A'PA - A'PB (R + B'PB)^-1 B'PA,   K = (R + B'PB)^-1 B'PA,
// solved by fixed-point iteration from P = Q (converges for stabilisable (A, B)).
#pragma once

#include <Eigen/Dense>

namespace tandem::environments {

struct LqrSolution {
  Eigen::MatrixXd gain;      // K, inputs x states
  Eigen::MatrixXd cost;      // P, the converged Riccati solution
  int iterations = 0;
};

// RunError when the iteration does not converge (relative change < tolerance) within
// max_iterations or produces non-finite values; InputError when the shapes disagree.
LqrSolution solve_discrete_lqr(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                               const Eigen::MatrixXd& q, const Eigen::MatrixXd& r,
                               int max_iterations = 100000, double tolerance = 1e-12);

}  // namespace tandem::environments
