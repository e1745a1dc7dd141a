"""Tiny training loops written against PyTorch's API, run unchanged with `m` = torch (reference) or trainer."""

from __future__ import annotations

from typing import Any


def reinforce(m: Any, steps: int = 30) -> dict[str, Any]:
    """A 3-armed bandit: a linear policy, Categorical actions, REINFORCE with a baseline; Adam."""
    m.manual_seed(0)
    policy = m.nn.Linear(2, 3)
    opt = m.optim.Adam(policy.parameters(), lr=0.05)
    state = m.tensor([[1.0, -0.5]]).expand(8, 2)
    rewards = m.tensor([0.1, 0.2, 1.0])
    losses, actions = [], []
    for _ in range(steps):
        dist = m.distributions.Categorical(logits=policy(state))
        action = dist.sample()
        reward = rewards[action]
        loss = -(dist.log_prob(action) * (reward - reward.mean())).mean() - 0.01 * dist.entropy().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        actions.append(action.tolist())
    probs = m.distributions.Categorical(logits=policy(state[:1])).probs
    return {"losses": losses, "actions": actions, "probs": probs.detach().numpy().copy()}


def gaussian_vae_step(m: Any, steps: int = 5) -> dict[str, Any]:
    """A reparameterised Gaussian encoder with a KL(q || N(0, 1)) term, as in a VAE's loss."""
    m.manual_seed(1)
    enc = m.nn.Linear(4, 4)
    opt = m.optim.SGD(enc.parameters(), lr=0.1)
    x = m.randn(6, 4)
    losses = []
    for _ in range(steps):
        h = enc(x)
        mu, log_sigma = h[:, :2], h[:, 2:]
        q = m.distributions.Normal(mu, log_sigma.exp())
        z = q.rsample()
        prior = m.distributions.Normal(m.zeros_like(mu), m.ones_like(mu))
        kl = m.distributions.kl_divergence(q, prior).sum(-1)
        recon = ((z - x[:, :2]) ** 2).sum(-1)
        loss = (recon + kl).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "weight": enc.weight.detach().numpy().copy()}


def ppo_continuous(m: Any, steps: int = 6) -> dict[str, Any]:
    """A clipped-ratio PPO update of a diagonal Gaussian policy (Independent Normal, learned log-std)."""
    m.manual_seed(2)
    mu_net = m.nn.Linear(3, 2)
    log_std = m.nn.Parameter(m.zeros(2) - 0.5)
    opt = m.optim.Adam(list(mu_net.parameters()) + [log_std], lr=0.01)
    obs = m.randn(16, 3)
    with m.no_grad():
        old = m.distributions.Independent(m.distributions.Normal(mu_net(obs), log_std.exp()), 1)
        actions = old.sample()
        old_logp = old.log_prob(actions)
        adv = m.randn(16)
    losses = []
    for _ in range(steps):
        dist = m.distributions.Independent(m.distributions.Normal(mu_net(obs), log_std.exp()), 1)
        ratio = (dist.log_prob(actions) - old_logp).exp()
        loss = -m.min(ratio * adv, ratio.clamp(0.8, 1.2) * adv).mean() - 0.01 * dist.entropy().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "sampled": actions.numpy().copy(), "log_std": log_std.detach().numpy().copy()}


def sac_actor(m: Any, steps: int = 5) -> dict[str, Any]:
    """A SAC actor loss: tanh-squashed Normal (cached transform), rsample, log_prob of the same sample."""
    m.manual_seed(3)
    net = m.nn.Linear(4, 4)
    opt = m.optim.Adam(net.parameters(), lr=0.01)
    obs = m.randn(8, 4)
    losses = []
    for _ in range(steps):
        h = net(obs)
        mu, log_std = h[:, :2], h[:, 2:].clamp(-5, 2)
        base = m.distributions.Normal(mu, log_std.exp())
        pi = m.distributions.TransformedDistribution(base, [m.distributions.TanhTransform(cache_size=1)])
        action = pi.rsample()
        log_pi = pi.log_prob(action).sum(-1)
        q = -((action - 0.3) ** 2).sum(-1)
        loss = (0.2 * log_pi - q).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "weight": net.weight.detach().numpy().copy()}


def bernoulli_vae(m: Any, steps: int = 4) -> dict[str, Any]:
    """A VAE step with a Bernoulli(logits) decoder likelihood and a Normal posterior."""
    m.manual_seed(4)
    enc, dec = m.nn.Linear(6, 4), m.nn.Linear(2, 6)
    opt = m.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=0.01)
    x = (m.rand(10, 6) > 0.5).float()
    losses = []
    for _ in range(steps):
        h = enc(x)
        q = m.distributions.Normal(h[:, :2], m.nn.functional.softplus(h[:, 2:]) + 1e-3)
        z = q.rsample()
        recon = m.distributions.Bernoulli(logits=dec(z)).log_prob(x).sum(-1)
        kl = m.distributions.kl_divergence(q, m.distributions.Normal(0.0, 1.0)).sum(-1)
        loss = (kl - recon).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {"losses": losses, "weight": dec.weight.detach().numpy().copy()}


SCRIPTS = {"reinforce": reinforce, "gaussian_vae_step": gaussian_vae_step, "ppo_continuous": ppo_continuous,
           "sac_actor": sac_actor, "bernoulli_vae": bernoulli_vae}
